/// A small backtracking regular-expression engine for the ECMA-262 subset JSON Schema
/// patterns use in practice: literals, `.`, classes (`[a-z]`, `[^…]`, `\d \w \s` and their
/// negations), groups (`(…)`, `(?:…)`), alternation, greedy quantifiers (`? * + {n} {n,} {n,m}`)
/// and the anchors `^ $`.
///
/// It exists for speed on the validation path: matching a short parameter value this way costs
/// tens of nanoseconds. Anything outside the subset (look-around, back-references, lazy
/// quantifiers, `\b`) makes `init` throw, and ``Pattern`` falls back to the standard library's
/// `Regex`.
struct TinyRegex: Sendable {
  struct Unsupported: Error, Sendable {
    let reason: String
  }

  /// A set of scalars: ranges, possibly negated.
  struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var negated = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
      var found = false
      for range in ranges where range.contains(scalar.value) {
        found = true
        break
      }
      return found != negated
    }

    static let digit = ScalarSet(ranges: [48...57])
    static let word = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122])
    static let space = ScalarSet(ranges: [
      9...13, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
      0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    static let dot = ScalarSet(ranges: [10...10, 13...13, 0x2028...0x2029], negated: true)

    var inverted: ScalarSet { ScalarSet(ranges: ranges, negated: !negated) }
  }

  indirect enum Node: Sendable {
    case scalar(Unicode.Scalar)
    case set(ScalarSet)
    case start
    case end
    case sequence([Node])
    case alternation([Node])
    case repetition(Node, min: Int, max: Int?)
  }

  let root: Node
  private let anchoredAtStart: Bool

  init(_ pattern: String) throws(Unsupported) {
    var parser = Parser(scalars: Array(pattern.unicodeScalars))
    root = try parser.parseAlternation()
    guard parser.index == parser.scalars.count else { throw Unsupported(reason: "unbalanced ')'") }
    if case .sequence(let nodes) = root, case .start? = nodes.first {
      anchoredAtStart = true
    } else {
      anchoredAtStart = false
    }
  }

  /// True when the pattern matches anywhere in `string` (JSON Schema patterns are not implicitly anchored).
  func matches(_ string: String) -> Bool {
    let input = Array(string.unicodeScalars)
    let matcher = Matcher(input: input)
    let lastStart = anchoredAtStart ? 0 : input.count
    for start in 0...lastStart where matcher.match(root, start, { _ in true }) {
      return true
    }
    return false
  }

  private struct Matcher {
    let input: [Unicode.Scalar]

    func match(_ node: Node, _ i: Int, _ next: (Int) -> Bool) -> Bool {
      switch node {
      case .scalar(let scalar):
        return i < input.count && input[i] == scalar && next(i + 1)
      case .set(let set):
        return i < input.count && set.contains(input[i]) && next(i + 1)
      case .start:
        return i == 0 && next(i)
      case .end:
        return i == input.count && next(i)
      case .sequence(let nodes):
        return matchSequence(nodes, 0, i, next)
      case .alternation(let branches):
        for branch in branches where match(branch, i, next) { return true }
        return false
      case .repetition(let inner, let min, let max):
        switch inner {
        case .scalar, .set: return matchSimpleRepetition(inner, min, max, i, next)
        default: return matchRepetition(inner, min, max, 0, i, next)
        }
      }
    }

    func matchSequence(_ nodes: [Node], _ k: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
      if k == nodes.count { return next(i) }
      return match(nodes[k], i) { j in matchSequence(nodes, k + 1, j, next) }
    }

    /// One scalar repeated: count the longest run, then back off one at a time (no recursion per scalar).
    func matchSimpleRepetition(_ inner: Node, _ min: Int, _ max: Int?, _ i: Int, _ next: (Int) -> Bool) -> Bool {
      var end = i
      let limit = max.map { Swift.min(input.count, i + $0) } ?? input.count
      while end < limit, matchesOne(inner, input[end]) { end += 1 }
      guard end - i >= min else { return false }
      var j = end
      while j >= i + min {
        if next(j) { return true }
        j -= 1
      }
      return false
    }

    func matchesOne(_ node: Node, _ scalar: Unicode.Scalar) -> Bool {
      switch node {
      case .scalar(let expected): scalar == expected
      case .set(let set): set.contains(scalar)
      default: false
      }
    }

    func matchRepetition(_ inner: Node, _ min: Int, _ max: Int?, _ count: Int, _ i: Int, _ next: (Int) -> Bool)
      -> Bool
    {
      if max.map({ count < $0 }) ?? true {
        let matched = match(inner, i) { j in
          // An iteration that consumed nothing cannot make progress once the minimum is met.
          if j == i, count >= min { return false }
          return matchRepetition(inner, min, max, count + 1, j, next)
        }
        if matched { return true }
      }
      return count >= min && next(i)
    }
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func parseAlternation() throws(Unsupported) -> Node {
      var branches = [try parseSequence()]
      while peek == "|" {
        index += 1
        branches.append(try parseSequence())
      }
      return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(Unsupported) -> Node {
      var nodes: [Node] = []
      while let scalar = peek, scalar != "|", scalar != ")" {
        var atom = try parseAtom()
        if let (min, max) = try parseQuantifier() {
          if case .start = atom { throw Unsupported(reason: "quantified anchor") }
          if case .end = atom { throw Unsupported(reason: "quantified anchor") }
          atom = .repetition(atom, min: min, max: max)
        }
        nodes.append(atom)
      }
      return nodes.count == 1 ? nodes[0] : .sequence(nodes)
    }

    mutating func parseAtom() throws(Unsupported) -> Node {
      let scalar = scalars[index]
      index += 1
      switch scalar {
      case "(":
        if peek == "?" {
          guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
            throw Unsupported(reason: "look-around or named group")
          }
          index += 2
        }
        let inner = try parseAlternation()
        guard peek == ")" else { throw Unsupported(reason: "unclosed group") }
        index += 1
        return inner
      case "[": return .set(try parseClass())
      case ".": return .set(.dot)
      case "^": return .start
      case "$": return .end
      case "\\": return try parseEscape(inClass: false)
      case "*", "+", "?", "{": throw Unsupported(reason: "quantifier without a target")
      default: return .scalar(scalar)
      }
    }

    mutating func parseQuantifier() throws(Unsupported) -> (Int, Int?)? {
      guard let scalar = peek else { return nil }
      let result: (Int, Int?)
      switch scalar {
      case "*": result = (0, nil)
      case "+": result = (1, nil)
      case "?": result = (0, 1)
      case "{":
        index += 1
        let min = try parseNumber()
        var max: Int? = min
        if peek == "," {
          index += 1
          max = peek == "}" ? nil : try parseNumber()
        }
        guard peek == "}" else { throw Unsupported(reason: "malformed {n,m}") }
        if let max, max < min { throw Unsupported(reason: "{n,m} with m < n") }
        result = (min, max)
      default: return nil
      }
      index += 1
      if peek == "?" || peek == "+" { throw Unsupported(reason: "lazy or possessive quantifier") }
      return result
    }

    mutating func parseNumber() throws(Unsupported) -> Int {
      var value = 0
      var digits = 0
      while let scalar = peek, ("0"..."9").contains(scalar) {
        value = value * 10 + Int(scalar.value - 48)
        digits += 1
        index += 1
        guard digits <= 6 else { throw Unsupported(reason: "repetition count too large") }
      }
      guard digits > 0 else { throw Unsupported(reason: "malformed {n,m}") }
      return value
    }

    mutating func parseClass() throws(Unsupported) -> ScalarSet {
      var set = ScalarSet()
      if peek == "^" {
        set.negated = true
        index += 1
      }
      var first = true
      while let scalar = peek, scalar != "]" || first {
        first = false
        index += 1
        var low: UInt32
        if scalar == "\\" {
          switch try parseEscape(inClass: true) {
          case .scalar(let escaped): low = escaped.value
          case .set(let named):
            guard !named.negated else { throw Unsupported(reason: "negated class escape inside []") }
            set.ranges += named.ranges
            continue
          default: throw Unsupported(reason: "escape inside []")
          }
        } else {
          low = scalar.value
        }
        if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
          index += 1
          var high = scalars[index].value
          index += 1
          if high == 92 {  // a backslash: an escaped upper bound
            guard case .scalar(let escaped) = try parseEscape(inClass: true) else {
              throw Unsupported(reason: "class escape as a range bound")
            }
            high = escaped.value
          }
          guard low <= high else { throw Unsupported(reason: "range out of order") }
          set.ranges.append(low...high)
        } else {
          set.ranges.append(low...low)
        }
      }
      guard peek == "]" else { throw Unsupported(reason: "unclosed [") }
      index += 1
      return set
    }

    mutating func parseEscape(inClass: Bool) throws(Unsupported) -> Node {
      guard let scalar = peek else { throw Unsupported(reason: "trailing backslash") }
      index += 1
      switch scalar {
      case "d": return .set(.digit)
      case "D": return .set(ScalarSet.digit.inverted)
      case "w": return .set(.word)
      case "W": return .set(ScalarSet.word.inverted)
      case "s": return .set(.space)
      case "S": return .set(ScalarSet.space.inverted)
      case "t": return .scalar("\t")
      case "n": return .scalar("\n")
      case "r": return .scalar("\r")
      case "f": return .scalar("\u{0C}")
      case "v": return .scalar("\u{0B}")
      case "u":
        guard index + 4 <= scalars.count,
          let value = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16),
          let decoded = Unicode.Scalar(value)
        else { throw Unsupported(reason: "\\u escape other than \\uXXXX") }
        index += 4
        return .scalar(decoded)
      default:
        // Identity escapes of punctuation only; letters and digits mean something we do not implement.
        guard scalar.value < 128, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
          throw Unsupported(reason: "escape \\\(scalar)")
        }
        return .scalar(scalar)
      }
    }
  }
}
