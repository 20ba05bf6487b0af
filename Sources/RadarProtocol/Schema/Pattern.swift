import Foundation

/// A compiled `pattern`: ``TinyRegex`` when it understands the pattern, else Foundation's
/// `NSRegularExpression`, so an endpoint added to the document with an unusual pattern still
/// works (only slower).
struct Pattern: Sendable {
  let source: String
  private let tiny: TinyRegex?
  private let foundation: FoundationRegex?

  /// Longest input the backtracking engine is given; longer strings go to Foundation so a
  /// hostile value cannot recurse deeply.
  private static let tinyInputLimit = 1024

  init(_ source: String) throws(DocumentError) {
    self.source = source
    tiny = try? TinyRegex(source)
    do {
      foundation = FoundationRegex(try NSRegularExpression(pattern: source))
    } catch {
      guard tiny != nil else { throw DocumentError("pattern \(source) does not compile", at: "") }
      foundation = nil
    }
  }

  func matches(_ string: String) -> Bool {
    if let tiny, foundation == nil || string.utf8.count <= Self.tinyInputLimit {
      return tiny.matches(string)
    }
    guard let foundation else { return false }  // unreachable: init keeps at least one engine
    let range = NSRange(string.startIndex..<string.endIndex, in: string)
    return foundation.regex.firstMatch(in: string, range: range) != nil
  }
}

/// `NSRegularExpression` is immutable and documented as safe to use from several threads.
private final class FoundationRegex: @unchecked Sendable {
  let regex: NSRegularExpression
  init(_ regex: NSRegularExpression) { self.regex = regex }
}
