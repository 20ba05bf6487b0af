/// "Did you mean …?" for names and enum values: the candidates closest to a mistyped string.
///
/// Distance is the optimal-string-alignment edit distance (insertions, deletions, substitutions
/// and swaps of neighbours each cost one) between the lower-cased strings, so case mistakes
/// (`csv` → `CSV`, `7dControl` → `7dcontrol`) always match and typos match when the distance is
/// small for the word's length. The server uses it for `didYouMean` on unknown methods.
public enum Suggestions {
  /// The candidates within reach of `input`, best first (ties keep the order of `candidates`);
  /// empty when none is close. An exact match is not a suggestion.
  public static func closest(to input: String, among candidates: [String]) -> [String] {
    let needle = Array(input.lowercased().unicodeScalars)
    var scored: [(distance: Int, order: Int, candidate: String)] = []
    for (order, candidate) in candidates.enumerated() where candidate != input {
      let other = Array(candidate.lowercased().unicodeScalars)
      let limit = threshold(max(needle.count, other.count))
      guard abs(needle.count - other.count) <= limit else { continue }
      let distance = editDistance(needle, other)
      if distance <= limit { scored.append((distance, order, candidate)) }
    }
    scored.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
    return scored.prefix(3).map(\.candidate)
  }

  /// How many edits still count as "close" for a word of `length` characters: one for short
  /// words, up to three for long ones.
  static func threshold(_ length: Int) -> Int { max(1, min(3, length / 4)) }

  /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let width = b.count + 1
    var previous2 = [Int](repeating: 0, count: width)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: width)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          best = min(best, previous2[j - 2] + 1)
        }
        current[j] = best
      }
      swap(&previous2, &previous)
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
