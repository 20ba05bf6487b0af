public import JSON

/// Replaces every occurrence of a credential value in upstream text with `[redacted]`
/// (contract §1: upstream text is untrusted; an error body may quote the request's headers).
///
/// ``LiveBackend`` applies it once per answer, where the bytes enter the server and before they
/// are parsed, cached or mapped to errors: header values and non-JSON bodies byte by byte, JSON
/// bodies string by string after parsing (so a value spelled with JSON escapes, `\u0074oken`, is
/// found too, and the replacement never touches the JSON's structure). Matching is on UTF-8
/// bytes, not on `Character`s, so a credential followed by a combining mark is still found.
public struct CredentialRedactor: Sendable {
  /// What a credential value becomes.
  public static let marker = "[redacted]"

  private let secrets: [[UInt8]]
  private let shortest: Int

  /// - Parameter secrets: credential values (empty ones are ignored).
  public init(secrets: [String]) {
    self.secrets = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
    shortest = self.secrets.map(\.count).min() ?? Int.max
  }

  /// `bytes` with every credential value replaced.
  public func redact(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= shortest else { return bytes }
    var out = bytes
    for secret in secrets { out = Self.replace(secret, in: out) }
    return out
  }

  /// `text` with every credential value replaced.
  public func redact(_ text: String) -> String {
    guard text.utf8.count >= shortest else { return text }
    var text = text
    let found = text.withUTF8 { bytes in secrets.contains { Self.firstMatch(of: $0, in: bytes, from: 0) != nil } }
    return found ? String(decoding: redact(Array(text.utf8)), as: UTF8.self) : text
  }

  /// Every string and member name of `value` with credential values replaced; the value is
  /// rebuilt only along the paths where something was replaced.
  public func redact(_ value: JSONValue) -> JSONValue {
    guard !secrets.isEmpty else { return value }
    return redacted(value, depth: 0) ?? value
  }

  /// Header values with credential values replaced (names are the transport's, lower-cased).
  public func redact(headers: [String: String]) -> [String: String] {
    guard !secrets.isEmpty else { return headers }
    return headers.mapValues(redact)
  }

  /// `nil` when nothing in `value` changes. The depth bound only guards the stack: the JSON parser
  /// already refuses nesting deeper than its own limit.
  private func redacted(_ value: JSONValue, depth: Int) -> JSONValue? {
    switch value {
    case .string(let text):
      let clean = redact(text)
      return clean == text ? nil : .string(clean)
    case .array(let elements) where depth < 512:
      var changed: [JSONValue]? = nil
      for (index, element) in elements.enumerated() {
        guard let clean = redacted(element, depth: depth + 1) else { continue }
        if changed == nil { changed = elements }
        changed![index] = clean
      }
      return changed.map(JSONValue.array)
    case .object(let object) where depth < 512:
      var members: [JSONObject.Member]? = nil
      for (index, member) in object.enumerated() {
        let key = redact(member.key)
        let clean = redacted(member.value, depth: depth + 1)
        guard clean != nil || key != member.key else { continue }
        if members == nil { members = object.map { JSONObject.Member($0.key, $0.value) } }
        members![index] = JSONObject.Member(key, clean ?? member.value)
      }
      return members.map { .object(JSONObject($0.map { ($0.key, $0.value) })) }
    default:
      return nil
    }
  }

  private static func replace(_ secret: [UInt8], in bytes: [UInt8]) -> [UInt8] {
    bytes.withUnsafeBufferPointer { haystack in
      guard var match = firstMatch(of: secret, in: haystack, from: 0) else { return bytes }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var copied = 0
      while true {
        out += haystack[copied..<match]
        out += marker.utf8
        copied = match + secret.count
        guard let next = firstMatch(of: secret, in: haystack, from: copied) else { break }
        match = next
      }
      out += haystack[copied...]
      return out
    }
  }

  /// The start of the first occurrence of `needle` in `haystack` at or after `start`.
  private static func firstMatch(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
    let last = haystack.count - needle.count
    var i = start
    while i <= last {
      guard let found = haystack[i...last].firstIndex(of: first) else { return nil }
      if needle.indices.allSatisfy({ haystack[found + $0] == needle[$0] }) { return found }
      i = found + 1
    }
    return nil
  }
}
