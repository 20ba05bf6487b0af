import JSON
import JSONRPC

/// What the server must answer for some input, by the rules of JSON-RPC 2.0 and the contract.
///
/// Answers with a non-null id are counted per id (the text of the id as JSON, so the string
/// `"1"` and the number `1` stay apart). Answers with a null id are counted by kind: a result,
/// an error with a given code, or either (an id-null request whose outcome depends on the
/// method). `extraNullErrors` allows a range of additional id-null -32700/-32600 errors where
/// the contract leaves the count to the implementation (garbage between LSP frames).
struct FuzzExpectation {
  var ids: [String: Int] = [:]
  var nullResults = 0
  var nullErrors: [Int: Int] = [:]
  var nullAny = 0
  var extraNullErrors: ClosedRange<Int> = 0...0
  /// Answers that are arrays (one per batch with at least one answer).
  var batchAnswers = 0

  mutating func add(_ other: FuzzExpectation) {
    ids.merge(other.ids, uniquingKeysWith: +)
    nullResults += other.nullResults
    nullErrors.merge(other.nullErrors, uniquingKeysWith: +)
    nullAny += other.nullAny
    let lower = extraNullErrors.lowerBound + other.extraNullErrors.lowerBound
    let upper = extraNullErrors.upperBound + other.extraNullErrors.upperBound
    extraNullErrors = lower...upper
    batchAnswers += other.batchAnswers
  }

  /// The answers the server owes for one message body (one LSP body or one NDJSON line).
  static func forBody(_ body: [UInt8], maxMessageBytes: Int, maxDepth: Int) -> FuzzExpectation {
    var e = FuzzExpectation()
    if body.count > maxMessageBytes {
      e.nullErrors[-32600] = 1
      return e
    }
    let value: JSONValue
    let loneSurrogates: [String]
    let unusable: [JSONParser.UnusableElement]
    do {
      // A lone surrogate escape is JSON (contract §3): the message is answered with its id. A batch
      // element that repeats a key is -32600 alone (JSON-RPC 2.0 §6), with its id when readable.
      let marked = try JSONParser.parseMarkingLoneSurrogates(body, maxDepth: maxDepth, isolatingArrayElements: true)
      (value, loneSurrogates, unusable) = (marked.value, marked.loneSurrogates, marked.unusableElements)
    } catch {
      // Contract §3: answered with the id when it is readable (ConnectionTests'
      // aReadableIDIsAnsweredWhateverElseIsWrong pins down what "readable" means), else id null.
      let code = error.isSemantic ? -32600 : -32700
      if let id = ReadableID.scan(body), id != .null {
        e.ids[id.description, default: 0] += 1
      } else {
        e.nullErrors[code] = 1
      }
      return e
    }
    guard case .array(let elements) = value else {
      e.addMessage(value, idUnreadable: loneSurrogates.contains("/id"))
      return e
    }
    if elements.isEmpty {
      e.nullErrors[-32600] = 1
      return e
    }
    var inner = FuzzExpectation()
    for (position, element) in elements.enumerated() {
      if let set = unusable.first(where: { $0.position == position }) {
        if let id = ReadableID.scan(Array(body[set.byteRange])), id != .null {
          inner.ids[id.description, default: 0] += 1
        } else {
          inner.nullErrors[-32600, default: 0] += 1
        }
        continue
      }
      inner.addMessage(element, idUnreadable: loneSurrogates.contains("/\(position)/id"))
    }
    let answered =
      inner.ids.values.reduce(0, +) + inner.nullResults + inner.nullErrors.values.reduce(0, +)
      + inner.nullAny
    if answered > 0 { inner.batchAnswers = 1 }
    e.add(inner)
    return e
  }

  /// The part of an LSP body the server takes as its message (contract §2, a `Content-Length` too
  /// long; protocol/README §Framing): the body's first JSON value when what follows it, after
  /// whitespace, begins `Content-Length:` or `Content-Type:` (any case) or is a non-empty prefix of
  /// one that runs to the body's end; else the whole body. The value starts with one of
  /// `{ [ " - 0-9 t f n`, and its end is found by structure alone (strings and their escapes,
  /// bracket depth; a number or literal runs over `0-9 + - . E a e f l n r s t u`), as FrameDecoder
  /// documents it.
  static func lspMessage(in body: [UInt8]) -> [UInt8] {
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    guard let first = body.firstIndex(where: { !isSpace($0) }), Set("{[\"-0123456789tfn".utf8).contains(body[first])
    else { return body }
    let scalar = Set("0123456789+-.Eaeflnrstu".utf8)
    var end: Int? = nil
    var depth = 0
    var inString = false
    var escaped = false
    scan: for i in first..<body.count {
      let b = body[i]
      if inString {
        if escaped {
          escaped = false
        } else if b == UInt8(ascii: "\\") {
          escaped = true
        } else if b == UInt8(ascii: "\"") {
          inString = false
          if depth == 0 {
            end = i + 1
            break scan
          }
        }
        continue
      }
      switch b {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 {
          end = i + 1
          break scan
        }
      default:
        if depth == 0 {
          end = body[(i + 1)...].firstIndex { !scalar.contains($0) } ?? body.count
          break scan
        }
      }
    }
    guard let end else { return body }
    let rest = Array(body[end...].drop(while: isSpace))
    let lowered = rest.prefix(16).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    for name in ["content-length:", "content-type:"] {
      let k = min(name.utf8.count, rest.count)
      if k > 0, lowered.prefix(k).elementsEqual(name.utf8.prefix(k)) { return Array(body[..<end]) }
    }
    return body
  }

  /// One element: a request, a notification, a response (ignored) or an invalid object.
  /// `idUnreadable`: the id held a lone surrogate, so a request is answered -32600 with id null.
  private mutating func addMessage(_ value: JSONValue, idUnreadable: Bool = false) {
    guard case .object(let object) = value else {
      nullErrors[-32600, default: 0] += 1
      return
    }
    let rawID = object["id"]
    var id: JSONValue? = nil
    if let rawID {
      switch rawID {
      case .string, .number, .null: id = rawID
      default:
        nullErrors[-32600, default: 0] += 1
        return
      }
    }
    func invalid() {
      if let id, id != .null {
        ids[JSONWriter.string(id), default: 0] += 1
      } else {
        nullErrors[-32600, default: 0] += 1
      }
    }
    guard object["jsonrpc"] == .string("2.0") else { return invalid() }
    guard let method = object["method"] else {
      if id != nil, object["result"] != nil || object["error"] != nil { return }  // a response: ignored
      return invalid()
    }
    guard case .string(let name) = method else { return invalid() }
    switch object["params"] {
    case nil, .null?, .object?, .array?: break  // `null` params mean none (finding F1)
    default: return invalid()
    }
    guard let id else { return }  // a notification: never answered
    if idUnreadable {
      nullErrors[-32600, default: 0] += 1
    } else if id != .null {
      ids[JSONWriter.string(id), default: 0] += 1
    } else if name == "server.stats", object["params"] == nil {
      nullResults += 1
    } else {
      nullAny += 1
    }
  }
}

/// One fuzz case: the exact bytes written, what the server owes for them, and how they were made.
struct FuzzCase {
  let bytes: [UInt8]
  let expectation: FuzzExpectation
  let label: String
}

/// Generates mutated JSON-RPC input, deterministic for a seed, in one framing.
///
/// Messages start valid (requests, notifications, batches of the server's cheap methods and of
/// small demo Radar calls) and are then damaged at the JSON level (wrong member types, missing
/// members, duplicate keys, deep nesting, bad escapes and invalid UTF-8, huge numbers, odd
/// batches) or at the byte level (flips, truncations, duplications, deletions, inserted bytes).
/// LSP cases also damage the header (missing or non-numeric or oversized `Content-Length`,
/// lengths a little longer or shorter than the body, garbage before the header). Every case is
/// built so the stream stays in step: a length longer than the body is padded with spaces (so
/// the body is the same JSON), and garbage is followed by a line break before the next header;
/// only ``badFrameThenGoodFrame()`` sends lengths too long unpadded, whose bodies take the start
/// of the next frame (contract §2).
struct FuzzCaseGenerator {
  enum Framing { case lsp, ndjson }

  let framing: Framing
  let maxMessageBytes: Int
  let maxDepth: Int
  private(set) var random: SeededRandom
  private var nextID = 1_000_000

  init(framing: Framing, seed: UInt64, maxMessageBytes: Int, maxDepth: Int) {
    self.framing = framing
    self.maxMessageBytes = maxMessageBytes
    self.maxDepth = maxDepth
    self.random = SeededRandom(seed: seed)
  }

  mutating func next() -> FuzzCase {
    if random.chance(0.06) { return badFrameThenGoodFrame() }
    let (body, label) = makeBody()
    switch framing {
    case .ndjson: return ndjsonCase(body, label)
    case .lsp: return lspCase(body, label)
    }
  }

  // MARK: - Framing

  private func ndjsonCase(_ body: [UInt8], _ label: String) -> FuzzCase {
    var e = FuzzExpectation()
    for piece in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
      var line = Array(piece)
      while line.last == 0x0D { line.removeLast() }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }  // a blank line
      e.add(.forBody(line, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth))
    }
    return FuzzCase(bytes: body + [0x0A], expectation: e, label: "ndjson " + label)
  }

  private mutating func lspCase(_ body: [UInt8], _ label: String) -> FuzzCase {
    func frame(_ header: String, _ payload: [UInt8]) -> [UInt8] { Array(header.utf8) + payload }
    let exact = FuzzExpectation.forBody(
      FuzzExpectation.lspMessage(in: body), maxMessageBytes: maxMessageBytes, maxDepth: maxDepth)
    let roll = random.next() % 100
    switch roll {
    case 0..<70:
      let name = ["Content-Length", "content-length", "CONTENT-LENGTH", "Content-length"][Int(random.next() % 4)]
      var header = "\(name): \(body.count)\r\n"
      if random.chance(0.3) { header += "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" }
      if random.chance(0.2) { header = "Content-Type: application/json\r\n" + header }
      return FuzzCase(bytes: frame(header + "\r\n", body), expectation: exact, label: "lsp " + label)
    case 70..<76:
      let extra = Int(random.next() % 32) + 1
      if body.count + extra > maxMessageBytes { return ndjsonLike(body, label) }
      let padded = body + [UInt8](repeating: 0x20, count: extra)
      return FuzzCase(
        bytes: frame("Content-Length: \(padded.count)\r\n\r\n", padded),
        expectation: .forBody(
          FuzzExpectation.lspMessage(in: padded), maxMessageBytes: maxMessageBytes, maxDepth: maxDepth),
        label: "lsp length+\(extra) (space-padded) " + label)
    case 76..<84:
      guard body.count > 1 else { return ndjsonLike(body, label) }
      let short = Int(random.next() % UInt64(body.count - 1)) + 1
      var e = FuzzExpectation.forBody(
        FuzzExpectation.lspMessage(in: Array(body[..<short])), maxMessageBytes: maxMessageBytes, maxDepth: maxDepth)
      e.extraNullErrors = 0...1  // the rest of the body is garbage before the next header
      return FuzzCase(
        bytes: frame("Content-Length: \(short)\r\n\r\n", body) + Array("\r\n".utf8), expectation: e,
        label: "lsp length \(short) of \(body.count) " + label)
    case 84..<90:
      let value = ["", "abc", "-5", "12a", " ", "0x10", "99999999999999999999999", "1.5", "+3"][
        Int(random.next() % 9)]
      var e = FuzzExpectation()
      e.nullErrors[-32700] = 1
      return FuzzCase(
        bytes: frame("Content-Length: \(value)\r\n\r\n", body) + Array("\r\n".utf8), expectation: e,
        label: "lsp bad length '\(value)' " + label)
    case 90..<94:
      var e = FuzzExpectation()
      e.nullErrors[-32700] = 1
      let header = random.chance(0.5) ? "Content-Type: application/json\r\n\r\n" : "xyz\r\n\r\n"
      return FuzzCase(
        bytes: frame(header, body) + Array("\r\n".utf8), expectation: e,
        label: "lsp no length " + label)
    case 94..<97:
      // Junk on the header's own line (the tail of a body shorter than its Content-Length): one
      // -32700 for the junk, and the frame behind it is still found and answered (contract §2).
      var e = exact
      e.nullErrors[-32700, default: 0] += 1
      return FuzzCase(
        bytes: frame("garbage{\"id\":1}Content-Length: \(body.count)\r\n\r\n", body) + Array("\r\n".utf8),
        expectation: e, label: "lsp garbage before header " + label)
    default:
      let declared = maxMessageBytes + 1 + Int(random.next() % UInt64(maxMessageBytes))
      var e = FuzzExpectation()
      e.nullErrors[-32600] = 1
      let payload = body.count <= declared ? body + [UInt8](repeating: 0x20, count: declared - body.count) : body
      return FuzzCase(
        bytes: frame("Content-Length: \(declared)\r\n\r\n", Array(payload.prefix(declared))), expectation: e,
        label: "lsp oversized \(declared) " + label)
    }
  }

  /// Contract §2: one bad frame never costs the good frame after it. A malformed header block (a
  /// length that is not a number, no length, a line without a colon), a byte order mark that is
  /// not at the start of input, a `Content-Length` 1 to 20 bytes too long or too short for a valid
  /// message (too long: its body takes the start of the good frame's header); right after it, a
  /// good frame whose answers are owed. The bad part is answered with at most one -32700 (id
  /// null), besides what its own message owes.
  private mutating func badFrameThenGoodFrame() -> FuzzCase {
    let good = JSONWriter.bytes(validMessage())
    var e = FuzzExpectation.forBody(good, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth)
    e.extraNullErrors = 0...1
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    if framing == .ndjson {
      // A BOM after the start of input is not whitespace: that line is not JSON.
      var bad = FuzzExpectation()
      bad.nullErrors[-32700] = 1
      bad.add(.forBody(good, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth))
      return FuzzCase(
        bytes: bom + good + [0x0A] + good + [0x0A], expectation: bad, label: "ndjson BOM mid-stream, then good")
    }
    let frame = Array("Content-Length: \(good.count)\r\n\r\n".utf8) + good
    let label: String
    let bad: [UInt8]
    switch random.next() % 7 {
    case 0:
      let value = ["abc", "-5", "0x10", "99999999999999999999999", "1.5", "", " ", "+3", "1e3"][Int(random.next() % 9)]
      bad = Array("Content-Length: \(value)\r\n\r\n".utf8)
      label = "lsp length '\(value)'"
    case 1:
      bad = Array(["Content-Type: application/json\r\n\r\n", "Content-Length 12\r\n\r\n"][Int(random.next() % 2)].utf8)
      label = "lsp header without a length"
    case 2:
      bad = bom + Array("\r\n".utf8)
      label = "lsp BOM mid-stream"
    case 3:
      // adv1 F5: a correctly framed body whose value is followed by bytes that are not a header is
      // not JSON, whole (-32700, with its id when readable).
      let message = JSONWriter.bytes(validMessage())
      let trailing = ["\nGARBAGE", " x", "\n" + JSONWriter.string(validMessage()), "\r\nContent-Lengthy: 5"][
        Int(random.next() % 4)]
      let body = message + Array(trailing.utf8)
      bad = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
      e.add(.forBody(body, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth))
      label = "lsp exact length, \(trailing.debugDescription) after the value"
    case 4:
      // adv1 F2: a damaged body of the right length (a string left open) whose last bytes hold a
      // whole `Content-Length` line: nothing inside it is searched, the good frame after it counts.
      nextID += 1
      let body =
        Array(
          #"{"jsonrpc":"2.0","id":\#(nextID),"method":"server.stats","params":{"x":""#.utf8)
        + Array("\nContent-Length: \(Int(random.next() % 400) + 1)\r\n\(random.chance(0.5) ? "\r\n" : "")".utf8)
      bad = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
      e.add(.forBody(body, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth))
      label = "lsp damaged exact body holding a header line"
    default:
      let message = JSONWriter.bytes(validMessage())
      let error = Int(random.next() % 20) + 1
      let declared = random.chance(0.5) ? message.count + error : max(1, message.count - error)
      bad = Array("Content-Length: \(declared)\r\n\r\n".utf8) + message
      e.add(
        .forBody(
          FuzzExpectation.lspMessage(in: Array(message.prefix(declared))), maxMessageBytes: maxMessageBytes,
          maxDepth: maxDepth))
      label = "lsp length \(declared) for \(message.count) bytes"
    }
    return FuzzCase(bytes: bad + frame, expectation: e, label: label + ", then a good frame")
  }

  /// An LSP frame with the right length (when a header mutation does not apply to this body).
  private func ndjsonLike(_ body: [UInt8], _ label: String) -> FuzzCase {
    FuzzCase(
      bytes: Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body,
      expectation: .forBody(body, maxMessageBytes: maxMessageBytes, maxDepth: maxDepth), label: "lsp " + label)
  }

  // MARK: - Bodies

  private mutating func id() -> JSONValue {
    nextID += 1
    return .number(JSONNumber(nextID))
  }

  /// A valid message: mostly cheap requests, some demo Radar calls, notifications, cancels.
  private mutating func validMessage() -> JSONValue {
    switch random.next() % 10 {
    case 0, 1, 2:
      return ["jsonrpc": "2.0", "id": id(), "method": "server.stats"]
    case 3:
      return ["jsonrpc": "2.0", "id": id(), "method": "server.stats", "params": [:]]
    case 4:
      let dimension: JSONValue = ["PRODUCT", "LOCATION", "AS"][Int(random.next() % 3)]
      return [
        "jsonrpc": "2.0", "id": id(), "method": "radar.netflows.timeseriesGroups",
        "params": ["dimension": dimension, "dateRange": "1d", "aggInterval": "1h", "name": "fuzz"],
      ]
    case 5:
      return [
        "jsonrpc": "2.0", "id": id(), "method": "radar.ct.timeseriesGroups",
        "params": ["dimension": "CA", "dateRange": "1d", "aggInterval": "1h", "limitPerGroup": 4],
      ]
    case 6:
      return ["jsonrpc": "2.0", "id": .string("str-\(nextID)"), "method": "server.stats"]
    case 7:
      return ["jsonrpc": "2.0", "method": "initialized", "params": [:]]
    case 8:
      return ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .number(JSONNumber(nextID))]]
    default:
      return ["jsonrpc": "2.0", "id": id(), "method": "radar.netflows.timeseriesGroup"]  // unknown method
    }
  }

  private static let oddValues: [JSONValue] = [
    true, false, .null, 0, -1, .number(JSONNumber(literal: "1.5")!), .number(JSONNumber(literal: "1e400")!),
    .number(JSONNumber(literal: "123456789012345678901234567890")!), .number(JSONNumber(literal: "-0")!),
    "", "x", [], [:], [1], ["a": 1], "2.0",
  ]

  private mutating func makeBody() -> ([UInt8], String) {
    let kind = random.next() % 100
    switch kind {
    case 0..<8:
      return (JSONWriter.bytes(validMessage()), "valid")
    case 8..<20:
      guard case .object(var object) = validMessage() else { fatalError("messages are objects") }
      let member = ["jsonrpc", "id", "method", "params"][Int(random.next() % 4)]
      let value = Self.oddValues[Int(random.next() % UInt64(Self.oddValues.count))]
      object[member] = value
      return (JSONWriter.bytes(.object(object)), "\(member)=\(JSONWriter.string(value))")
    case 20..<25:
      guard case .object(var object) = validMessage() else { fatalError("messages are objects") }
      let member = ["jsonrpc", "id", "method", "params"][Int(random.next() % 4)]
      object.removeValue(forKey: member)
      return (JSONWriter.bytes(.object(object)), "without \(member)")
    case 25..<28:
      var bytes = JSONWriter.bytes(validMessage())
      bytes.insert(contentsOf: Array("\"id\":7,".utf8), at: 1)
      return (bytes, "duplicate key")
    case 28..<33:
      let depth = [10, maxDepth - 2, maxDepth - 1, maxDepth, maxDepth + 1, 1000, 20000][Int(random.next() % 7)]
      let open = random.chance(0.5) ? Array("[".utf8) : Array("{\"a\":".utf8)
      let close: [UInt8] = open.count == 1 ? Array("]".utf8) : Array("}".utf8)
      var bytes = Array("{\"jsonrpc\":\"2.0\",\"id\":\(nextID + 1),\"method\":\"server.stats\",\"params\":[".utf8)
      nextID += 1
      for _ in 0..<depth { bytes += open }
      bytes += Array("1".utf8)
      for _ in 0..<depth { bytes += close }
      bytes += Array("]}".utf8)
      return (bytes, "nesting \(depth)")
    case 33..<38:
      let strings: [[UInt8]] = [
        Array("\\u0000".utf8), Array("\\ud800".utf8), Array("\\udc00\\ud800".utf8), [0xC3, 0x28], [0xFF],
        [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80], [0xF4, 0x90, 0x80, 0x80], [0x01], Array("\\x".utf8),
      ]
      let inner = strings[Int(random.next() % UInt64(strings.count))]
      let where_ = random.chance(0.5) ? "method" : "params"
      var bytes = Array("{\"jsonrpc\":\"2.0\",\"id\":\(nextID + 1),".utf8)
      nextID += 1
      if where_ == "method" {
        bytes += Array("\"method\":\"server.".utf8) + inner + Array("stats\"}".utf8)
      } else {
        bytes += Array("\"method\":\"server.stats\",\"params\":{\"k".utf8) + inner + Array("\":1}}".utf8)
      }
      return (bytes, "string bytes \(inner) in \(where_)")
    case 38..<46:
      var elements: [JSONValue] = []
      for _ in 0..<(random.next() % 6) {
        if random.chance(0.75) {
          elements.append(validMessage())
        } else {
          elements.append(Self.oddValues[Int(random.next() % UInt64(Self.oddValues.count))])
        }
      }
      // Now and then one element repeats a key: -32600 alone, the others answered (JSON-RPC 2.0 §6).
      var texts = elements.map { JSONWriter.bytes($0) }
      var label = "batch of \(elements.count)"
      if !texts.isEmpty, random.chance(0.3) {
        let k = Int(random.next() % UInt64(texts.count))
        if texts[k].first == UInt8(ascii: "{"), texts[k].count > 2 {
          texts[k].insert(contentsOf: Array(#""jsonrpc":"2.0","#.utf8), at: 1)
          label += ", element \(k) repeating \"jsonrpc\""
        }
      }
      return (Array("[".utf8) + Array(texts.joined(separator: Array(",".utf8))) + Array("]".utf8), label)
    case 46..<48:
      let size = maxMessageBytes + 1 + Int(random.next() % UInt64(maxMessageBytes / 2))
      var bytes = Array("{\"jsonrpc\":\"2.0\",\"id\":\(nextID + 1),\"method\":\"server.stats\",\"params\":[\"".utf8)
      nextID += 1
      bytes += [UInt8](repeating: UInt8(ascii: "a"), count: size)
      bytes += Array("\"]}".utf8)
      return (bytes, "oversized \(bytes.count)")
    case 48..<54:
      return numberAtAnIntegerWidth()
    case 54..<58:
      return loneSurrogate()
    default:
      return byteMutation(JSONWriter.bytes(validMessage()))
    }
  }

  /// Numbers at and just past every integer width (8 to 64 bits, signed and unsigned, 2⁵³ where
  /// doubles stop being exact), and past what any machine number holds, as JSON literals.
  static let widthNumbers: [String] = {
    var literals: Set<String> = [
      "0", "-0", "1", "-1", "1.5", "0.5", "1e2", "2E0", "1e308", "1e400", "-1e400", "1e-400",
    ]
    for bits in [7, 8, 15, 16, 31, 32, 53, 63, 64] {
      // 2^bits - 1, 2^bits, 2^bits + 1 and their negatives, exactly (UInt64 arithmetic stops at 64 bits).
      let power = bits == 64 ? "18446744073709551616" : String(UInt64(1) << UInt64(bits))
      let below = bits == 64 ? "18446744073709551615" : String((UInt64(1) << UInt64(bits)) - 1)
      let above = bits == 64 ? "18446744073709551617" : String((UInt64(1) << UInt64(bits)) + 1)
      for literal in [power, below, above] { literals.formUnion([literal, "-" + literal]) }
    }
    literals.formUnion(["86400", "86401", "99999999999999999999999", "1" + String(repeating: "0", count: 400)])
    return literals.sorted()
  }()

  /// A request whose every numeric param (a Radar method's `limitPerGroup`, `radar.subscribe`'s
  /// `intervalSeconds`, progress tokens, which may be integers, `initialize`'s `processId`, the id
  /// a cancellation names, the token `window/workDoneProgress/cancel` names) holds a number at an
  /// integer width. Whatever the number, a request is answered exactly once (a result
  /// or -32602) and nothing traps.
  private mutating func numberAtAnIntegerWidth() -> ([UInt8], String) {
    let literal = Self.widthNumbers[Int(random.next() % UInt64(Self.widthNumbers.count))]
    let number = JSONValue.number(JSONNumber(literal: literal)!)
    let id = self.id()
    let message: JSONValue
    switch random.next() % 6 {
    case 0:
      message = [
        "jsonrpc": "2.0", "id": id, "method": "radar.ct.timeseriesGroups",
        "params": ["dimension": "CA", "dateRange": "1d", "aggInterval": "1h", "limitPerGroup": number],
      ]
    case 1:
      message = [
        "jsonrpc": "2.0", "id": id, "method": "radar.subscribe",
        "params": [
          "method": "radar.netflows.timeseriesGroups", "params": ["dimension": "PRODUCT", "dateRange": "1d"],
          "intervalSeconds": number,
        ],
      ]
    case 2:
      message = [
        "jsonrpc": "2.0", "id": id, "method": "radar.netflows.timeseriesGroups",
        "params": ["dimension": "PRODUCT", "dateRange": "1d", "workDoneToken": number, "partialResultToken": number],
      ]
    case 3:
      message = [
        "jsonrpc": "2.0", "id": id, "method": "initialize", "params": ["processId": number, "capabilities": [:]],
      ]
    case 4:
      message = ["jsonrpc": "2.0", "method": "window/workDoneProgress/cancel", "params": ["token": number]]
    default:
      message = ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": number]]
    }
    let label = "number \(literal) in \(message["method"]?.stringValue ?? "")"
    return (JSONWriter.bytes(message), label)
  }

  /// A Radar call with a lone surrogate escape (or a valid pair, to keep the family honest) in a
  /// param value, a member name, a series element, the method or the id. It is JSON by RFC 8259's
  /// grammar, so it is answered with its id (-32602 at the string's path where the string is a
  /// param), or -32600 with id null where the id itself is unreadable.
  private mutating func loneSurrogate() -> ([UInt8], String) {
    let escapes = [#"\ud83c"#, #"\udc00"#, #"\ud800\ud800"#, #"x\udbff"#, #"\udfff\ud83c"#, #"\ud83c\udf0d"#]
    let escape = escapes[Int(random.next() % UInt64(escapes.count))]
    nextID += 1
    let id = nextID
    let call = #""jsonrpc":"2.0","method":"radar.netflows.timeseriesGroups""#
    let text: String
    switch random.next() % 6 {
    case 0: text = #"{"# + call + #","id":\#(id),"params":{"dimension":"PRODUCT","name":"\#(escape)"}}"#
    case 1: text = #"{"# + call + #","id":\#(id),"params":{"dimension":"PRODUCT","\#(escape)":"x"}}"#
    case 2:
      text =
        #"{"# + call
        + #","id":\#(id),"params":{"dimension":"LOCATION","series":[{"location":"US"},{"location":"\#(escape)"}]}}"#
    case 3: text = #"{"jsonrpc":"2.0","id":\#(id),"method":"radar.\#(escape)"}"#
    case 4: text = #"{"# + call + #","id":"id-\#(escape)","params":{"dimension":"PRODUCT"}}"#
    default:
      text =
        #"[{"# + call + #","id":\#(id),"params":{"dimension":"PRODUCT","asn":["\#(escape)"]}},"#
        + #"{"jsonrpc":"2.0","id":"b\#(id)","method":"server.stats"}]"#
    }
    return (Array(text.utf8), "lone surrogate \(escape)")
  }

  private mutating func byteMutation(_ original: [UInt8]) -> ([UInt8], String) {
    var bytes = original
    let n = bytes.count
    func position() -> Int { Int(random.next() % UInt64(max(n, 1))) }
    switch random.next() % 8 {
    case 0:
      let at = position()
      bytes[at] ^= UInt8(1 << (random.next() % 8))
      return (bytes, "bit flip at \(at)")
    case 1:
      let at = position()
      bytes[at] = UInt8(truncatingIfNeeded: random.next())
      return (bytes, "byte \(bytes[at]) at \(at)")
    case 2:
      let cut = position()
      return (Array(bytes[..<cut]), "truncated to \(cut)")
    case 3:
      let a = position()
      let b = min(n, a + 1 + Int(random.next() % 24))
      bytes.insert(contentsOf: bytes[a..<b], at: b)
      return (bytes, "duplicated \(a)..<\(b)")
    case 4:
      let a = position()
      let b = min(n, a + 1 + Int(random.next() % 16))
      bytes.removeSubrange(a..<b)
      return (bytes, "deleted \(a)..<\(b)")
    case 5:
      let at = position()
      let inserted: [UInt8] = [
        [0x0A], [0x0D], [0x00], [0xFF, 0xFE], [0x0D, 0x0A], [0x20, 0x0A, 0x20], [0xE2, 0x82],
      ][
        Int(random.next() % 7)]
      bytes.insert(contentsOf: inserted, at: at)
      return (bytes, "inserted \(inserted) at \(at)")
    case 6:
      return (bytes + bytes, "message twice")
    default:
      let a = position()
      let b = position()
      bytes.swapAt(a, b)
      return (bytes, "swapped \(a),\(b)")
    }
  }
}
