#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A strict JSON parser (RFC 8259) over UTF-8 bytes.
///
/// It never traps on hostile input: nesting is bounded by `maxDepth` (recursion cannot
/// overflow the stack), strings must be valid UTF-8 with paired surrogates, numbers keep
/// their literal text (so `1e400` or a 40-digit id are accepted and preserved), and a key
/// repeated in one object is reported rather than silently resolved.
///
/// A lone surrogate escape (`"\ud83c"`) is JSON by RFC 8259's grammar but not Unicode text:
/// ``parse(_:maxDepth:)`` rejects it, while ``parseMarkingLoneSurrogates(_:maxDepth:)`` reads it
/// as U+FFFD and says where, so a JSON-RPC server can answer "invalid params" at that path with
/// the request's id instead of "parse error" with none (contract §3).
public struct JSONParser {
  /// A value whose strings may have held lone surrogates, with where they were.
  public struct MarkedValue: Sendable {
    public let value: JSONValue
    /// RFC 6901 JSON Pointers (into `value`) of each string, or object member whose key, held a
    /// lone surrogate escape; each such surrogate reads as U+FFFD. Empty for ordinary input.
    public let loneSurrogates: [String]
    /// With a ``MemberMemo``: the bytes of the top-level object's member `memo.member`'s value,
    /// exactly as sent, when it is an object or an array of at least ``MemberMemo/minBytes``
    /// bytes (`nil` otherwise).
    public let memberBytes: [UInt8]?
    /// With `isolatingArrayElements`: the elements of a top-level array that repeat a key in an
    /// object (anywhere inside them), in order. Each reads as `null` in `value`, and its lone
    /// surrogates are not in ``loneSurrogates``. Empty otherwise.
    public let unusableElements: [UnusableElement]
  }

  /// An element of a top-level array set aside: grammatical JSON whose object repeats a key.
  public struct UnusableElement: Sendable, Equatable {
    /// Its index in the array.
    public let position: Int
    /// The first repeated key found in it (``JSONParseError/Kind/duplicateKey(_:)``).
    public let error: JSONParseError
    /// Its bytes in the text parsed (to read its id, for example).
    public let byteRange: Range<Int>
  }

  /// Parses like ``parse(_:maxDepth:)``, except that lone surrogate escapes become U+FFFD and
  /// are reported in ``MarkedValue/loneSurrogates``. Ordinary input costs one pass; input with
  /// lone surrogates a second one, which tracks paths.
  ///
  /// With `isolatingArrayElements`, an element of a top-level array (a JSON-RPC batch) whose
  /// objects repeat a key does not fail the whole text: it is read again, only for its grammar,
  /// and reported in ``MarkedValue/unusableElements`` (JSON-RPC 2.0 §6 answers a batch that is
  /// JSON one element at a time; RFC 8259 §4 says names SHOULD be unique, not MUST). Text that is
  /// not JSON, and a top-level object that repeats a key, still fail whole. Costs nothing unless
  /// a key repeats: the check is made where the parser finds a repeat anyway.
  public static func parseMarkingLoneSurrogates(
    _ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth, isolatingArrayElements: Bool = false
  ) throws(JSONParseError) -> MarkedValue {
    var memo = MemberMemo(member: "", maxEntries: 0)
    return try parseMarkingLoneSurrogates(
      bytes, maxDepth: maxDepth, memo: &memo, isolatingArrayElements: isolatingArrayElements)
  }

  /// ``parseMarkingLoneSurrogates(_:maxDepth:)`` that recalls the top-level member `memo.member`
  /// (JSON-RPC's `params`) from `memo` when the same bytes were parsed before, and keeps it there
  /// otherwise; its bytes come back in ``MarkedValue/memberBytes``.
  public static func parseMarkingLoneSurrogates(
    _ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth, memo: inout MemberMemo,
    isolatingArrayElements: Bool = false
  ) throws(JSONParseError) -> MarkedValue {
    let buffer = bytes.bindMemory(to: UInt8.self)
    var parser = Cursor(bytes: buffer, maxDepth: maxDepth, loneSurrogates: .replace)
    parser.isolatingArrayElements = isolatingArrayElements
    swap(&parser.memo, &memo)
    let value: JSONValue
    do {
      value = try parser.parseWhole()
      swap(&parser.memo, &memo)
    } catch {
      swap(&parser.memo, &memo)
      throw error
    }
    guard parser.replacedSurrogates > 0 else {
      return MarkedValue(
        value: value, loneSurrogates: [], memberBytes: parser.memberBytes,
        unusableElements: parser.unusableElements ?? [])
    }
    var locator = Cursor(bytes: buffer, maxDepth: maxDepth, loneSurrogates: .locate)
    locator.isolatingArrayElements = isolatingArrayElements
    _ = try locator.parseWhole()
    return MarkedValue(
      value: value, loneSurrogates: locator.located, memberBytes: parser.memberBytes,
      unusableElements: parser.unusableElements ?? [])
  }

  public static func parseMarkingLoneSurrogates(
    _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, isolatingArrayElements: Bool = false
  ) throws(JSONParseError) -> MarkedValue {
    var memo = MemberMemo(member: "", maxEntries: 0)
    return try parseMarkingLoneSurrogates(
      bytes, maxDepth: maxDepth, memo: &memo, isolatingArrayElements: isolatingArrayElements)
  }

  public static func parseMarkingLoneSurrogates(
    _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, memo: inout MemberMemo, isolatingArrayElements: Bool = false
  ) throws(JSONParseError) -> MarkedValue {
    do {
      return try bytes.withUnsafeBytes { raw in
        try parseMarkingLoneSurrogates(
          raw, maxDepth: maxDepth, memo: &memo, isolatingArrayElements: isolatingArrayElements)
      }
    } catch let error as JSONParseError {
      throw error
    } catch {
      fatalError("unreachable: \(error)")
    }
  }

  /// Values of one top-level member already parsed, by their bytes: a client that repeats a
  /// request sends the same `params` bytes, which then cost a scan and a hash instead of a parse.
  ///
  /// Sound because an object or array is self-delimiting: bytes at the member's position that
  /// equal a value parsed before are that value, whatever follows them (which is parsed as
  /// usual). Only objects and arrays without lone surrogates are kept. Bounded: at most
  /// `maxEntries` values of at most `maxBytes` bytes each; when full it starts over.
  public struct MemberMemo {
    /// The top-level member it is for (`params`).
    public let member: String
    public let maxEntries: Int
    public let maxBytes: Int
    /// By hash of the bytes; a collision replaces the entry (a miss, never a wrong value).
    fileprivate var entries: [Int: (bytes: [UInt8], value: JSONValue)] = [:]
    /// The entry recalled or kept last.
    fileprivate var last: Int? = nil

    public init(member: String, maxEntries: Int = 64, maxBytes: Int = 2048) {
      self.member = member
      self.maxEntries = maxEntries
      self.maxBytes = maxBytes
    }

    /// Shorter values are parsed every time, and their bytes not reported.
    public static let minBytes = 16

    /// Values held now (for tests).
    public var count: Int { entries.count }

    /// A fast fingerprint of `bytes`, a word at a time (FNV-1a-like over 8-byte words), for
    /// tables that confirm a match by comparing the bytes: equal bytes, equal fingerprints.
    public static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
      let prime: UInt64 = 0x0000_0100_0000_01B3
      var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
      guard let base = bytes.baseAddress else { return Int(bitPattern: UInt(h)) }
      let raw = UnsafeRawPointer(base)
      var i = 0
      while i + 8 <= bytes.count {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime
        h ^= h >> 29
        i += 8
      }
      while i < bytes.count {
        h = (h ^ UInt64(bytes[i])) &* prime
        i += 1
      }
      return Int(bitPattern: UInt(h ^ (h >> 32)))
    }

    fileprivate static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int { fingerprint(bytes) }

    /// Whether `kept` holds exactly `bytes` (one `memcmp`).
    public static func same(_ kept: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      kept.count == bytes.count
        && kept.withUnsafeBufferPointer { k in
          k.count == 0 || memcmp(k.baseAddress!, bytes.baseAddress!, k.count) == 0
        }
    }
  }

  /// The default nesting limit: far beyond any real request, far below any stack limit.
  public static let defaultMaxDepth = 256

  /// Parses one JSON value that fills `bytes` (surrounding whitespace allowed).
  public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError)
    -> JSONValue
  {
    var parser = Cursor(bytes: bytes.bindMemory(to: UInt8.self), maxDepth: maxDepth, loneSurrogates: .reject)
    return try parser.parseWhole()
  }

  public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
    do {
      return try bytes.withUnsafeBytes { raw in try parse(raw, maxDepth: maxDepth) }
    } catch let error as JSONParseError {
      throw error
    } catch {
      // `withUnsafeBytes` is `rethrows`, not typed-throws (Swift 6.3), so its error is `any
      // Error` here although only the closure's `JSONParseError` can come out of it.
      fatalError("unreachable: \(error)")
    }
  }

  public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth)
  }
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

extension JSONParser {
  fileprivate struct Cursor {
    /// What a lone surrogate escape does: fail the parse, become U+FFFD, or become U+FFFD and
    /// have its string's path recorded (the path is tracked only then).
    enum LoneSurrogates {
      case reject, replace, locate
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    let loneSurrogates: LoneSurrogates
    var index = 0
    private(set) var replacedSurrogates = 0
    /// Whether the string parsed last held a lone surrogate.
    private var lastStringReplaced = false
    /// `.locate` only: escaped pointer tokens down to the value being parsed, and what was found.
    private var path: [String] = []
    private(set) var located: [String] = []
    /// The memo of one top-level member's values, and that member's bytes once found.
    var memo = MemberMemo(member: "", maxEntries: 0)
    private(set) var memberBytes: [UInt8]? = nil
    /// Whether a top-level array's element that repeats a key is set aside (see
    /// ``JSONParser/parseMarkingLoneSurrogates(_:maxDepth:isolatingArrayElements:)``), and those
    /// set aside.
    var isolatingArrayElements = false
    /// `nil` until one is set aside (no array to keep on the hot path).
    private(set) var unusableElements: [UnusableElement]? = nil
    /// While an element set aside is read again for its grammar: repeated keys are let through.
    private var toleratingRepeatedKeys = false

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, loneSurrogates: LoneSurrogates) {
      self.bytes = bytes
      self.maxDepth = maxDepth
      self.loneSurrogates = loneSurrogates
    }

    mutating func parseWhole() throws(JSONParseError) -> JSONValue {
      skipWhitespace()
      guard index < bytes.count else { throw JSONParseError(.empty, at: 0) }
      let value = try parseValue(depth: 0)
      skipWhitespace()
      guard index == bytes.count else { throw JSONParseError(.trailingData, at: index) }
      return value
    }

    /// Records the string just parsed (at `path`, plus `member` for a key) when it held a lone surrogate.
    private mutating func noteReplaced(member: String? = nil) {
      guard loneSurrogates == .locate, lastStringReplaced else { return }
      var pointer = path.map { "/" + $0 }.joined()
      if let member { pointer += "/" + Self.escape(member) }
      located.append(pointer)
    }

    private static func escape(_ token: String) -> String {
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

    /// A lone surrogate escape found at `offset`: an error, or U+FFFD in `buffer`.
    private mutating func loneSurrogate(at offset: Int, into buffer: inout [UInt8]) throws(JSONParseError) {
      guard loneSurrogates != .reject else { throw JSONParseError(.loneSurrogate, at: offset) }
      buffer += [0xEF, 0xBF, 0xBD]
      replacedSurrogates += 1
      lastStringReplaced = true
    }

    @inline(__always)
    mutating func skipWhitespace() {
      while index < bytes.count {
        switch bytes[index] {
        case 0x20, 0x0A, 0x0D, 0x09: index += 1
        default: return
        }
      }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
      guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
      switch bytes[index] {
      case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
      case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
      case quote:
        let text = try parseString()
        noteReplaced()
        return .string(text)
      case UInt8(ascii: "t"):
        try expectLiteral("true")
        return .bool(true)
      case UInt8(ascii: "f"):
        try expectLiteral("false")
        return .bool(false)
      case UInt8(ascii: "n"):
        try expectLiteral("null")
        return .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return .number(try parseNumber())
      case let b:
        throw JSONParseError(.unexpectedByte(b), at: index)
      }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
      let count = literal.utf8CodeUnitCount
      let start = literal.utf8Start
      for k in 0..<count {
        guard index + k < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index + k) }
        guard bytes[index + k] == start[k] else {
          throw JSONParseError(.unexpectedByte(bytes[index + k]), at: index + k)
        }
      }
      index += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
      guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
      index += 1  // {
      var members: [JSONObject.Member] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(JSONObject(uniqueMembers: members))
      }
      var seen: Set<String>? = nil
      while true {
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard bytes[index] == quote else { throw JSONParseError(.unexpectedByte(bytes[index]), at: index) }
        let keyOffset = index
        let key = try parseString()
        // Duplicate detection: linear for small objects, a set past 16 members.
        // Tolerated only while an element set aside is read again, whose value is dropped: its
        // objects may then keep a repeat (the hot path stays one append per member).
        if members.count < 16 {
          for member in members where member.key == key {
            guard toleratingRepeatedKeys else { throw JSONParseError(.duplicateKey(key), at: keyOffset) }
          }
        } else {
          if seen == nil { seen = Set(members.map(\.key)) }
          if !seen!.insert(key).inserted, !toleratingRepeatedKeys {
            throw JSONParseError(.duplicateKey(key), at: keyOffset)
          }
        }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard bytes[index] == UInt8(ascii: ":") else {
          throw JSONParseError(.unexpectedByte(bytes[index]), at: index)
        }
        index += 1
        skipWhitespace()
        noteReplaced(member: key)
        if loneSurrogates == .locate { path.append(Self.escape(key)) }
        let value: JSONValue
        if depth == 1, memo.maxEntries > 0, key == memo.member {
          value = try parseMemoized(depth: depth)
        } else {
          value = try parseValue(depth: depth)
        }
        if loneSurrogates == .locate { path.removeLast() }
        members.append(JSONObject.Member(key, value))
        if seen != nil, members.count > 16 { seen!.insert(key) }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"):
          index += 1
          return .object(JSONObject(uniqueMembers: members))
        case let b: throw JSONParseError(.unexpectedByte(b), at: index)
        }
      }
    }

    /// The value of the memoised member: recalled when its bytes were parsed before, else parsed
    /// and kept (see ``MemberMemo``).
    private mutating func parseMemoized(depth: Int) throws(JSONParseError) -> JSONValue {
      let start = index
      // The value recalled or kept last, checked in place first: a client repeating one request
      // costs a compare, not a scan and a hash.
      if let last = memo.last, let known = memo.entries[last], start + known.bytes.count <= bytes.count,
        MemberMemo.same(known.bytes, UnsafeBufferPointer(rebasing: bytes[start..<(start + known.bytes.count)]))
      {
        index = start + known.bytes.count
        memberBytes = known.bytes
        return known.value
      }
      // Below `minBytes` (`{}`, `[1]`) the parse costs less than the hash and the copy.
      guard let end = scanExtent(from: start, limit: memo.maxBytes), end - start >= MemberMemo.minBytes else {
        return try parseValue(depth: depth)
      }
      let candidate = UnsafeBufferPointer(rebasing: bytes[start..<end])
      let hash = MemberMemo.hash(candidate)
      if let known = memo.entries[hash], MemberMemo.same(known.bytes, candidate) {
        index = end
        memberBytes = known.bytes
        memo.last = hash
        return known.value
      }
      let surrogatesBefore = replacedSurrogates
      let value = try parseValue(depth: depth)
      guard index == end else { return value }  // the scan was wrong: nothing to keep
      let kept = Array(candidate)
      memberBytes = kept
      if replacedSurrogates == surrogatesBefore {
        if memo.entries.count >= memo.maxEntries { memo.entries.removeAll(keepingCapacity: true) }
        memo.entries[hash] = (kept, value)
        memo.last = hash
      }
      return value
    }

    /// Where the object or array starting at `start` seems to end, from its brackets and strings
    /// alone (no validation: the parse does that); `nil` for any other value, or one longer than
    /// `limit` bytes or cut short.
    private func scanExtent(from start: Int, limit: Int) -> Int? {
      guard start < bytes.count, bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") else {
        return nil
      }
      let stop = min(bytes.count, start + limit)
      var i = start
      var depth = 0
      while i < stop {
        switch bytes[i] {
        case quote:
          i += 1
          while i < stop, bytes[i] != quote { i += bytes[i] == backslash ? 2 : 1 }
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 { return i + 1 }
        default: break
        }
        i += 1
      }
      return nil
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
      guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
      index += 1  // [
      var elements: [JSONValue] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(elements)
      }
      while true {
        skipWhitespace()
        if loneSurrogates == .locate { path.append(String(elements.count)) }
        if depth == 1, isolatingArrayElements {
          elements.append(try parseElement(position: elements.count))
        } else {
          elements.append(try parseValue(depth: depth))
        }
        if loneSurrogates == .locate { path.removeLast() }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "]"):
          index += 1
          return .array(elements)
        case let b: throw JSONParseError(.unexpectedByte(b), at: index)
        }
      }
    }

    /// An element of the top-level array, or `null` when it repeats a key: then it is read again
    /// from its start with repeated keys let through (its grammar is still checked: text that is not
    /// JSON fails whole), recorded in ``unusableElements``, and its lone surrogates forgotten.
    private mutating func parseElement(position: Int) throws(JSONParseError) -> JSONValue {
      let start = index
      let pathDepth = path.count
      let locatedBefore = located.count
      do {
        return try parseValue(depth: 1)
      } catch  where error.isSemantic {
        index = start
        path.removeSubrange(pathDepth...)
        toleratingRepeatedKeys = true
        defer { toleratingRepeatedKeys = false }
        _ = try parseValue(depth: 1)
        located.removeSubrange(locatedBefore...)
        unusableElements =
          (unusableElements ?? []) + [UnusableElement(position: position, error: error, byteRange: start..<index)]
        return .null
      }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
      let start = index
      scan: while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
          UInt8(ascii: "e"), UInt8(ascii: "E"):
          index += 1
        default:
          break scan
        }
      }
      let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
      guard JSONNumber.isValidLiteral(slice) else { throw JSONParseError(.invalidNumber, at: start) }
      // Ids and counts are nearly always canonical integers: kept as one, the same literal.
      if let integer = JSONNumber.canonicalInteger(utf8: slice) { return JSONNumber(integer) }
      return JSONNumber(unchecked: String(decoding: slice, as: UTF8.self))
    }

    /// Parses a string starting at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
      index += 1  // opening quote
      lastStringReplaced = false
      let start = index
      var sawNonASCII = false
      // Fast path: no escapes.
      while index < bytes.count {
        let b = bytes[index]
        if b == quote {
          let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
          index += 1
          if !sawNonASCII { return String(decoding: slice, as: UTF8.self) }
          guard let s = String(validating: slice, as: UTF8.self) else {
            throw JSONParseError(.invalidUTF8, at: start + firstInvalidUTF8Offset(slice))
          }
          return s
        }
        if b == backslash { break }
        if b < 0x20 { throw JSONParseError(.controlCharacterInString, at: index) }
        if b >= 0x80 { sawNonASCII = true }
        index += 1
      }
      guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
      // Slow path: escapes present. Collect UTF-8 bytes, then validate once.
      var buffer = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
      while index < bytes.count {
        let b = bytes[index]
        if b == quote {
          index += 1
          guard let s = String(validating: buffer, as: UTF8.self) else {
            throw JSONParseError(.invalidUTF8, at: start)
          }
          return s
        }
        if b < 0x20 { throw JSONParseError(.controlCharacterInString, at: index) }
        if b != backslash {
          buffer.append(b)
          index += 1
          continue
        }
        index += 1
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let e = bytes[index]
        index += 1
        switch e {
        case quote: buffer.append(quote)
        case backslash: buffer.append(backslash)
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          let escapeStart = index - 2
          var scalar = try parseHex4()
          if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by \u and a low surrogate.
            guard index + 1 < bytes.count, bytes[index] == backslash, bytes[index + 1] == UInt8(ascii: "u") else {
              try loneSurrogate(at: escapeStart, into: &buffer)
              continue
            }
            let next = index
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else {
              try loneSurrogate(at: escapeStart, into: &buffer)
              index = next  // the next escape is read on its own
              continue
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00...0xDFFF).contains(scalar) {
            try loneSurrogate(at: escapeStart, into: &buffer)
            continue
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw JSONParseError(.invalidEscape, at: escapeStart) }
          buffer.append(contentsOf: UTF8.encode(unicode)!)
        default:
          throw JSONParseError(.invalidEscape, at: index - 2)
        }
      }
      throw JSONParseError(.unexpectedEnd, at: index)
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
      guard index + 4 <= bytes.count else { throw JSONParseError(.unexpectedEnd, at: bytes.count) }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let b = bytes[index]
        let digit: UInt32
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
        default: throw JSONParseError(.invalidEscape, at: index)
        }
        value = value << 4 | digit
        index += 1
      }
      return value
    }

    /// The offset of the first byte that breaks UTF-8 in `slice` (for error messages).
    func firstInvalidUTF8Offset(_ slice: UnsafeBufferPointer<UInt8>) -> Int {
      var decoder = UTF8()
      var iterator = slice.makeIterator()
      var consumed = 0
      var lastGood = 0
      while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s):
          consumed += UTF8.width(s)
          lastGood = consumed
        case .emptyInput: return lastGood
        case .error: return lastGood
        }
      }
    }
  }
}
