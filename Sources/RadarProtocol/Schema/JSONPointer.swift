/// One step of a JSON Pointer: an object member or an array index.
enum PathSegment: Sendable, Hashable {
  case key(String)
  case index(Int)
}

/// Where the validator is in the value, kept as segments (cheap to push and pop) and only
/// rendered as an RFC 6901 string when a violation is reported.
struct JSONPath: Sendable {
  /// Already-rendered pointer of the value's root (e.g. `/params` inside `radar.subscribe`).
  let prefix: String
  private(set) var segments: [PathSegment] = []

  init(prefix: String) { self.prefix = prefix }

  mutating func push(_ segment: PathSegment) { segments.append(segment) }
  mutating func pop() { segments.removeLast() }

  /// Runs `body` one level deeper.
  mutating func with<T>(_ segment: PathSegment, _ body: (inout JSONPath) throws -> T) rethrows -> T {
    push(segment)
    defer { pop() }
    return try body(&self)
  }

  var pointer: String { JSONPointer.render(prefix: prefix, segments) }
}

/// RFC 6901 JSON Pointers: `/series/1/location`; `~` is written `~0` and `/` is written `~1`.
enum JSONPointer {
  static func escape(_ token: String) -> String {
    guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
    var out = ""
    for character in token {
      switch character {
      case "~": out += "~0"
      case "/": out += "~1"
      default: out.append(character)
      }
    }
    return out
  }

  static func unescape(_ token: String) -> String {
    guard token.contains("~") else { return token }
    var out = ""
    var characters = token.makeIterator()
    while let character = characters.next() {
      guard character == "~" else {
        out.append(character)
        continue
      }
      switch characters.next() {
      case "0": out += "~"
      case "1": out += "/"
      case let other?: out += "~" + String(other)
      case nil: out += "~"
      }
    }
    return out
  }

  static func render(prefix: String, _ segments: [PathSegment]) -> String {
    var out = prefix
    for segment in segments {
      out += "/"
      switch segment {
      case .key(let key): out += escape(key)
      case .index(let index): out += String(index)
      }
    }
    return out
  }

  /// A `#/a/b` fragment reference as unescaped tokens, or `nil` when it is not a local pointer.
  static func tokens(ofLocalReference reference: String) -> [String]? {
    guard reference.hasPrefix("#") else { return nil }
    let pointer = reference.dropFirst()
    if pointer.isEmpty { return [] }
    guard pointer.hasPrefix("/") else { return nil }
    return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { unescape(String($0)) }
  }
}
