/// A compiled `pattern`: ``TinyRegex`` when it understands the pattern, else the standard
/// library's `Regex`, so an endpoint added to the document with an unusual pattern still works
/// (only slower). Neither needs Foundation.
struct Pattern: Sendable {
  let source: String
  private let tiny: TinyRegex?
  private let general: GeneralRegex?

  /// Longest input the backtracking engine is given; longer strings go to the general engine so
  /// a hostile value cannot recurse deeply.
  private static let tinyInputLimit = 1024

  init(_ source: String) throws(DocumentError) {
    self.source = source
    tiny = try? TinyRegex(source)
    do {
      general = GeneralRegex(try Regex(source))
    } catch {
      guard tiny != nil else { throw DocumentError("pattern \(source) does not compile", at: "") }
      general = nil
    }
  }

  func matches(_ string: String) -> Bool {
    if let tiny, general == nil || string.utf8.count <= Self.tinyInputLimit {
      return tiny.matches(string)
    }
    guard let general else { return false }  // unreachable: init keeps at least one engine
    // JSON Schema patterns are not anchored: a match anywhere counts.
    return (try? general.regex.firstMatch(in: string)) != nil
  }
}

/// A compiled `Regex` is an immutable program; sharing it between threads is safe.
private final class GeneralRegex: @unchecked Sendable {
  let regex: Regex<AnyRegexOutput>
  init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}
