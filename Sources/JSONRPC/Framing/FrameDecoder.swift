#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An incremental decoder from a byte stream to message frames, in either framing (contract §2).
///
/// Bytes arrive in arbitrary chunks (a frame split across reads, several frames in one read)
/// and frames come out as soon as they are complete. The decoder's verdicts do not depend on
/// how the input was split into reads:
/// - a UTF-8 byte order mark at the very start of input is skipped (RFC 8259 §8.1);
/// - a message is too large when its size passes `maxMessageBytes`: LSP by its declared
///   `Content-Length`, NDJSON by the bytes of its line without the line end (`\n` or `\r\n`).
///   Such a message is skipped as it streams past, never buffered whole, and reported as
///   ``FrameEvent/oversized(declaredBytes:)``; at most `maxMessageBytes + 1` bytes of it are held;
/// - an LSP header block is malformed when it has no usable `Content-Length` or is longer than
///   ``maxHeaderBytes``. It is reported as ``FrameEvent/malformed(reason:)`` and the decoder
///   resynchronises at the next `Content-Length: N` header line (see ``resync()``), so one bad
///   frame never costs the good frame after it.
///
/// Every byte is examined a bounded number of times, so decoding is linear in the bytes received
/// however slowly they arrive (a line trickled in one byte per read included).
public struct FrameDecoder {
  public let maxMessageBytes: Int
  /// The framing in use; `nil` until `auto` has seen the first non-whitespace byte.
  public private(set) var framing: Framing?

  /// Longest header block (its lines and the empty line ending it) accepted before it is
  /// declared malformed.
  static let maxHeaderBytes = 8 * 1024

  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  private var buffer: [UInt8] = []
  private var start = 0  // first unconsumed byte in `buffer`
  private var state = State.idle
  /// Whether the start of input has been checked for a byte order mark.
  private var byteOrderMarkChecked = false
  /// How many bytes from `start` have already been searched for the end of the pending NDJSON
  /// line or LSP header block: a search resumes there instead of starting over.
  private(set) var scanned = 0
  /// Bytes examined by the scans of headers, bodies and resynchronisation, for tests that check
  /// decoding stays linear (a count of work, not a time).
  private(set) var examinedBytes = 0
  /// While scanning a header block: whether the line being scanned is empty so far.
  private var scannedLineIsEmpty = true
  /// The scan of the LSP body being received (state `.body`), resumed as it arrives; it runs only
  /// once ``bodyMayBeCut``.
  private var bodyScan = LSPBodyScan()
  /// Whether the body being received holds `content-` (any case), so that a header name may
  /// follow its first value; searched up to ``bodySearched`` bytes from its start so far.
  private var bodyMayBeCut = false
  private var bodySearched = 0

  private enum State {
    case idle
    /// LSP: the header said N bytes; waiting for them.
    case body(length: Int)
    /// Discarding this many more bytes of an oversized LSP body.
    case skipBody(remaining: Int)
    /// NDJSON: discarding an oversized line up to its newline.
    case skipLine
    /// LSP: after a malformed header, discarding until a `Content-Length` header line.
    case resync
    /// LSP: the body of `length` bytes at `start` has been delivered whole. Whether the bytes
    /// after it begin a header says whether its length was right (see
    /// ``checkAfterBody(length:)``).
    case afterBody(length: Int)
  }

  public init(mode: FramingMode, maxMessageBytes: Int) {
    self.framing = mode.fixed
    self.maxMessageBytes = maxMessageBytes
  }

  /// Bytes held for incomplete frames (for tests and limits).
  public var bufferedBytes: Int { buffer.count - start }

  /// Adds `chunk` and calls `onEvent` for every event it completes, in order, with the framing
  /// it was decoded in (so an answer to it can be written in the same framing).
  public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onEvent: (FrameEvent, Framing) -> Void) {
    guard !chunk.isEmpty else { return }
    var chunk = chunk
    // Skipping states consume straight from the chunk without copying it.
    switch state {
    case .skipBody(let remaining):
      let n = min(remaining, chunk.count)
      chunk = UnsafeRawBufferPointer(rebasing: chunk[n...])
      state = remaining - n == 0 ? .idle : .skipBody(remaining: remaining - n)
      if chunk.isEmpty { return }
    case .skipLine:
      guard let newline = chunk.firstIndex(of: 0x0A) else { return }
      chunk = UnsafeRawBufferPointer(rebasing: chunk[(newline + 1)...])
      state = .idle
      if chunk.isEmpty { return }
    default: break
    }
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    buffer.append(contentsOf: chunk)
    process(onEvent)
    compact()
  }

  public mutating func feed(_ bytes: [UInt8], _ onEvent: (FrameEvent, Framing) -> Void) {
    bytes.withUnsafeBytes { feed($0, onEvent) }
  }

  /// Called at end of input: a last NDJSON line without a newline is still a message; a partial
  /// LSP frame left in the buffer is reported as malformed.
  public mutating func finish(_ onEvent: (FrameEvent, Framing) -> Void) {
    if framing == .ndjson, bufferedBytes > 0, case .idle = state {
      var end = buffer.count
      if buffer[end - 1] == 0x0D { end -= 1 }  // at the end of input a lone `\r` ends the line too
      let size = end - start
      let line = trimmedLine(start, end)
      start = buffer.count
      if size > maxMessageBytes {
        onEvent(.oversized(declaredBytes: size), .ndjson)
      } else if line.lowerBound < line.upperBound {
        emitFrame(line, onEvent)
      }
      return
    }
    // LSP: a body cut short by the end of input is delivered as far as it came (its value is
    // answered, or it is -32700 with its id when that is readable), and what it took of a next
    // frame is decoded too (a `Content-Length` too long, on the last frame).
    while case .body(let length) = state, bufferedBytes > 0, bufferedBytes < length {
      state = .body(length: bufferedBytes)
      process(onEvent)
    }
    if case .afterBody(let length) = state {
      consume(to: start + length)  // no frame follows: the length was not too long
      state = .idle
    }
    if case .body(let length) = state {
      onEvent(.malformed(reason: "input ended before the body (\(length) bytes announced)"), .lsp)
    } else if !isSkipping, buffer[start...].contains(where: { !Self.isWhitespace($0) }) {
      onEvent(.malformed(reason: "input ended inside a frame (\(bufferedBytes) bytes)"), framing ?? .lsp)
    }
    state = .idle
    start = buffer.count
  }

  private var isSkipping: Bool {
    switch state {
    case .skipBody, .skipLine, .resync: true
    case .idle, .body, .afterBody: false
    }
  }

  // MARK: - Processing

  private mutating func process(_ onEvent: (FrameEvent, Framing) -> Void) {
    if !byteOrderMarkChecked {
      guard skipByteOrderMark() else { return }
    }
    while start < buffer.count {
      if framing == nil {
        guard let first = buffer[start...].firstIndex(where: { !Self.isWhitespace($0) }) else {
          start = buffer.count
          return
        }
        start = first
        framing = (buffer[first] == UInt8(ascii: "{") || buffer[first] == UInt8(ascii: "[")) ? .ndjson : .lsp
      }
      let progressed: Bool
      switch framing! {
      case .ndjson: progressed = processLine(onEvent)
      case .lsp: progressed = processLSP(onEvent)
      }
      if !progressed { return }
    }
  }

  /// Skips a byte order mark at the very start of input. Returns false while the bytes so far are
  /// a proper prefix of one (a mark split across reads).
  private mutating func skipByteOrderMark() -> Bool {
    let available = min(Self.byteOrderMark.count, bufferedBytes)
    for k in 0..<available where buffer[start + k] != Self.byteOrderMark[k] {
      byteOrderMarkChecked = true
      return true
    }
    guard available == Self.byteOrderMark.count else { return false }
    start += available
    byteOrderMarkChecked = true
    return true
  }

  /// Moves `start` to `position`, where a new line or header block begins.
  private mutating func consume(to position: Int) {
    start = position
    scanned = 0
    scannedLineIsEmpty = true
  }

  /// NDJSON: emits one line if complete. Returns false when more bytes are needed.
  private mutating func processLine(_ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    if case .skipLine = state {
      guard let newline = buffer[start...].firstIndex(of: 0x0A) else {
        consume(to: buffer.count)
        return false
      }
      consume(to: newline + 1)
      state = .idle
      return true
    }
    guard let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) else {
      scanned = bufferedBytes
      // Too long already, whatever comes next: a line of more than `max` bytes, or of `max + 1`
      // bytes whose last one cannot be the `\r` of a `\r\n`. Reported once; the rest of the line
      // is dropped as it arrives.
      if bufferedBytes > maxMessageBytes + 1 || (bufferedBytes == maxMessageBytes + 1 && buffer.last != 0x0D) {
        onEvent(.oversized(declaredBytes: nil), .ndjson)
        consume(to: buffer.count)
        state = .skipLine
      }
      return false
    }
    var end = newline
    if end > start, buffer[end - 1] == 0x0D { end -= 1 }
    let size = end - start
    let line = trimmedLine(start, end)
    consume(to: newline + 1)
    if size > maxMessageBytes {
      onEvent(.oversized(declaredBytes: size), .ndjson)
    } else if line.lowerBound < line.upperBound {
      emitFrame(line, onEvent)
    }
    return true
  }

  /// LSP: parses a header block or a body. Returns false when more bytes are needed.
  private mutating func processLSP(_ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    switch state {
    case .body(let length):
      return deliverBody(length: length, onEvent)
    case .afterBody(let length):
      return checkAfterBody(length: length)
    case .skipBody(let remaining):
      let n = min(remaining, bufferedBytes)
      consume(to: start + n)
      state = remaining - n == 0 ? .idle : .skipBody(remaining: remaining - n)
      return remaining - n == 0
    case .resync:
      return resync()
    case .skipLine:
      state = .idle
      return true
    case .idle:
      return parseHeader(onEvent)
    }
  }

  /// Reads one header block (`Name: value` lines, then an empty line) at `start`.
  private mutating func parseHeader(_ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    // Whitespace between frames (a stray newline after a body) is tolerated.
    if scanned == 0 {
      var i = start
      while i < buffer.count, Self.isWhitespace(buffer[i]) { i += 1 }
      examinedBytes += i - start
      if i != start { consume(to: i) }
    }
    guard start < buffer.count else { return false }
    if let length = canonicalHeaderLength() { return accept(length: length, onEvent) }
    guard let end = headerEnd() else {
      if bufferedBytes > Self.maxHeaderBytes {
        return malformed("header longer than \(Self.maxHeaderBytes) bytes", onEvent)
      }
      return false
    }
    if end.bodyStart - start > Self.maxHeaderBytes {
      return malformed("header longer than \(Self.maxHeaderBytes) bytes", onEvent)
    }
    var contentLength: Int? = nil
    var problem: String? = nil
    var lineStart = start
    while lineStart < end.headerEnd {
      var lineEnd = lineStart
      while lineEnd < end.headerEnd, buffer[lineEnd] != 0x0A { lineEnd += 1 }
      let line = trimmedLine(lineStart, lineEnd)
      lineStart = lineEnd + 1
      if line.isEmpty { continue }
      guard let colon = buffer[line].firstIndex(of: UInt8(ascii: ":")) else {
        problem = "header line without a colon"
        continue
      }
      if Self.equalsIgnoringCase(buffer[line.lowerBound..<colon], "content-length") {
        let value = Self.trimmed(buffer[(colon + 1)..<line.upperBound])
        if let n = Self.parseLength(value) {
          contentLength = n
        } else {
          problem = "Content-Length is not a number"
        }
      }
      // Other headers (Content-Type) are accepted and ignored: the body is always UTF-8 JSON.
    }
    guard let length = contentLength else {
      return malformed(problem ?? "header without Content-Length", onEvent)
    }
    consume(to: end.bodyStart)
    return accept(length: length, onEvent)
  }

  // MARK: - A body whose length was wrong

  /// How many bytes at the end of a body delivered whole that does not end like a message are
  /// searched again for the next header when the bytes after it do not begin one (and how much
  /// whitespace after it is read before the next header is looked for): a length too long by up to this
  /// much (a header line's worth) costs no frame even when the body itself is damaged too.
  static let reexaminedTail = 64

  /// Delivers the LSP body of `length` bytes at `start` and moves on, as soon as its verdict is
  /// known (contract §2: one bad frame never costs the good frame after it). Returns false when
  /// more bytes are needed.
  ///
  /// A `Content-Length` too long takes the start of the next frame into this body, and a frame
  /// starts with a header. ``LSPBodyScan`` tells whether the body's first JSON value is followed
  /// (after whitespace) by `Content-Length:` or `Content-Type:`, or by a prefix of one cut by the
  /// body's end: then the value is delivered and the bytes after it are searched for the next
  /// `Content-Length` header line (``resync()``). A split is known as soon as a whole header name
  /// follows the value, so it does not wait for the rest of the body, which may never come (a
  /// length too long by more than the client sent since); the outcome is the one the whole body
  /// would give. Every other body is delivered whole, and the bytes after it tell where the next
  /// frame starts (``checkAfterBody(length:)``).
  ///
  /// Most bodies cannot be split at all: they hold no `content-` and do not end in a byte of a
  /// header name. That is checked first, with `memchr`, and only other bodies are scanned. The
  /// check and the scan read a body forward, once, and the scan stops where its verdict is known,
  /// so no byte is read again for a frame found inside a body, however such frames nest; the
  /// verdicts depend on the bytes alone, never on how reads split them.
  private mutating func deliverBody(length: Int, _ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    let available = min(bufferedBytes, length)
    let complete = available == length
    if !bodyMayBeCut {
      bodyMayBeCut = searchContentDash(upTo: available)
      if !bodyMayBeCut {
        guard complete else { return false }
        if length == 0 || !Self.isHeaderNameByte(buffer[start + length - 1]) {
          deliverWhole(length: length, onEvent)
          return true
        }
      }
    }
    let scannedBefore = bodyScan.scanned
    let verdict = buffer.withUnsafeBufferPointer { bytes in
      bodyScan.advance(UnsafeBufferPointer(rebasing: bytes[start..<(start + available)]), complete: complete)
    }
    examinedBytes += bodyScan.scanned - scannedBefore
    switch verdict {
    case .split(let valueEnd)?:
      emitFrame(start..<(start + valueEnd), onEvent)
      consume(to: start + valueEnd)
      state = .resync
    case .whole? where complete:
      deliverWhole(length: length, onEvent)
    default:
      return false
    }
    return true
  }

  /// Whether the body's first `available` bytes hold `content-` (any case); searches on from
  /// ``bodySearched``, by `memchr` for the `-`.
  private mutating func searchContentDash(upTo available: Int) -> Bool {
    let name = "content"
    var from = bodySearched
    defer {
      examinedBytes += from - bodySearched
      bodySearched = from
    }
    while from < available {
      let hit = buffer.withUnsafeBufferPointer { bytes in
        memchr(bytes.baseAddress! + start + from, Int32(UInt8(ascii: "-")), available - from).map {
          UnsafeRawPointer(bytes.baseAddress! + start).distance(to: UnsafeRawPointer($0))
        }
      }
      guard let dash = hit else { break }
      from = dash + 1
      if dash >= name.utf8.count,
        Self.equalsIgnoringCase(buffer[(start + dash - name.utf8.count)..<(start + dash)], name)
      {
        return true
      }
    }
    from = available
    return false
  }

  /// The bytes of `content-length:` and `content-type:`, in any case: the last byte of a body that
  /// a header name cut by the body's end may follow.
  private static func isHeaderNameByte(_ b: UInt8) -> Bool {
    switch b | 0x20 {
    case UInt8(ascii: "c"), UInt8(ascii: "o"), UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "e"),
      UInt8(ascii: "-"), UInt8(ascii: "l"), UInt8(ascii: "g"), UInt8(ascii: "h"), UInt8(ascii: ":"),
      UInt8(ascii: "y"), UInt8(ascii: "p"):
      true
    default: false
    }
  }

  /// Delivers the body of `length` bytes at `start` whole. A body that ends (after whitespace)
  /// with `}` or `]` and holds no line feed before that — every well-formed message — is taken to
  /// be whole, and the next header is read right after it (a malformed one is answered -32700 as
  /// usual). After any other body, the bytes after it decide (``checkAfterBody(length:)``).
  private mutating func deliverWhole(length: Int, _ onEvent: (FrameEvent, Framing) -> Void) {
    let body = start..<(start + length)
    emitFrame(body, onEvent)
    if endsLikeAMessage(body) {
      consume(to: body.upperBound)
      state = .idle
    } else {
      scanned = 0
      state = .afterBody(length: length)
    }
  }

  /// After the body of `length` bytes at `start`, delivered whole, that does not end like a
  /// message: when the bytes after it, after whitespace, begin `Content-Length:` or
  /// `Content-Type:` (any case), its length was right and the next header is read there; so it is
  /// after more than ``reexaminedTail`` bytes of whitespace. Otherwise its length was wrong, and
  /// from its last ``reexaminedTail`` bytes on the next `Content-Length` header line is searched
  /// for (``resync()``): it finds one the body took the start of (a length too long on a damaged
  /// body), and one behind the leftover of a body too short; what it skips is the bad frame's own.
  /// Returns false when more bytes are needed; nothing is delivered here, so waiting for them
  /// holds back no answer. (`scanned` counts the whitespace after the body.)
  private mutating func checkAfterBody(length: Int) -> Bool {
    let after = start + length
    var i = after + scanned
    while i < buffer.count, i - after <= Self.reexaminedTail, Self.isWhitespace(buffer[i]) { i += 1 }
    examinedBytes += i - (after + scanned)
    scanned = i - after
    if i - after > Self.reexaminedTail {
      consume(to: i)
      state = .idle
      return true
    }
    guard i < buffer.count else { return false }
    switch headerName(at: i) {
    case .whole:
      consume(to: i)
      state = .idle
    case .incomplete:
      return false
    case .no:
      consume(to: max(start, after - Self.reexaminedTail))
      state = .resync
    }
    return true
  }

  /// Whether the bytes at `i` begin `content-length:` or `content-type:` (any case): `.incomplete`
  /// while they are a proper prefix of one.
  private func headerName(at i: Int) -> Tail {
    let length: StaticString = "content-length:"
    let type: StaticString = "content-type:"
    var lengthMatches = true
    var typeMatches = true
    var k = 0
    while i + k < buffer.count {
      let b = buffer[i + k]
      let lower = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
      lengthMatches = lengthMatches && length.utf8Start[k] == lower
      typeMatches = typeMatches && k < type.utf8CodeUnitCount && type.utf8Start[k] == lower
      k += 1
      if (lengthMatches && k == length.utf8CodeUnitCount) || (typeMatches && k == type.utf8CodeUnitCount) {
        return .whole
      }
      if !lengthMatches && !typeMatches { return .no }
    }
    return .incomplete
  }

  /// Whether `body` ends, after whitespace, with `}` or `]`, and holds no line feed before that.
  private mutating func endsLikeAMessage(_ body: Range<Int>) -> Bool {
    var end = body.upperBound
    while end > body.lowerBound, Self.isWhitespace(buffer[end - 1]) { end -= 1 }
    examinedBytes += body.upperBound - end
    guard end > body.lowerBound, buffer[end - 1] == UInt8(ascii: "}") || buffer[end - 1] == UInt8(ascii: "]") else {
      return false
    }
    return buffer.withUnsafeBufferPointer {
      memchr($0.baseAddress! + body.lowerBound, 0x0A, end - body.lowerBound) == nil
    }
  }

  /// Reports the header block at `start` as malformed and resynchronises after its first byte:
  /// a good header may follow junk on the same line, or sit inside a block that is too long.
  private mutating func malformed(_ reason: String, _ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    onEvent(.malformed(reason: reason), .lsp)
    consume(to: start + 1)
    state = .resync
    return true
  }

  private mutating func accept(length: Int, _ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    if length > maxMessageBytes {
      onEvent(.oversized(declaredBytes: length), .lsp)
      state = .skipBody(remaining: length)
    } else {
      state = .body(length: length)
      bodyScan = LSPBodyScan()
      bodyMayBeCut = false
      bodySearched = 0
    }
    return true
  }

  /// The fast path for the header nearly every client sends, exactly `Content-Length: N\r\n\r\n`:
  /// its length, with `start` moved to the body; `nil` (nothing consumed) for anything else.
  private mutating func canonicalHeaderLength() -> Int? {
    let prefix: StaticString = "Content-Length: "
    let prefixCount = prefix.utf8CodeUnitCount
    guard buffer.count - start > prefixCount + 4 else { return nil }
    for k in 0..<prefixCount where buffer[start + k] != prefix.utf8Start[k] { return nil }
    var i = start + prefixCount
    var length = 0
    var digits = 0
    while i < buffer.count, buffer[i] >= 0x30, buffer[i] <= 0x39, digits < 18 {
      length = length * 10 + Int(buffer[i] - 0x30)
      i += 1
      digits += 1
    }
    guard digits > 0, i + 4 <= buffer.count, buffer[i] == 0x0D, buffer[i + 1] == 0x0A, buffer[i + 2] == 0x0D,
      buffer[i + 3] == 0x0A
    else { return nil }
    consume(to: i + 4)
    return length
  }

  /// Finds the empty line ending the header block at `start`: `\r\n\r\n`, or `\n\n` (also with
  /// stray `\r`s). Resumes where the previous call stopped.
  private mutating func headerEnd() -> (headerEnd: Int, bodyStart: Int)? {
    let from = start + scanned
    var i = from
    var lineIsEmpty = scannedLineIsEmpty
    defer { examinedBytes += i - from }
    while i < buffer.count {
      switch buffer[i] {
      case 0x0A:
        if lineIsEmpty && i > start { return (i, i + 1) }
        lineIsEmpty = true
      case 0x0D: break
      default: lineIsEmpty = false
      }
      i += 1
    }
    scanned = i - start
    scannedLineIsEmpty = lineIsEmpty
    return nil
  }

  /// After a malformed header: drops bytes up to the next `Content-Length` header line, a whole
  /// one: the name (any case), a colon, a decimal length of at most 18 digits and the line's end.
  /// That line normally starts a line; it is also found right after leftover bytes on its line
  /// (LSP frames follow each other with no separator, so a body shorter than its header said
  /// leaves its tail in front of the next header). A whole header line never occurs inside JSON
  /// text (strings hold no raw line breaks), so a body that mentions `Content-Length` is no match.
  private mutating func resync() -> Bool {
    let name = "content-length:"
    let nameCount = name.utf8.count
    var i = start
    while i + nameCount <= buffer.count {
      if buffer[i] | 0x20 == UInt8(ascii: "c"), Self.equalsIgnoringCase(buffer[i..<(i + nameCount)], name) {
        switch headerLineTail(from: i + nameCount) {
        case .whole:
          examinedBytes += i - start
          consume(to: i)
          state = .idle
          return true
        case .incomplete:
          examinedBytes += i - start
          consume(to: i)  // wait for the rest of this line
          return false
        case .no:
          break
        }
      }
      i += 1
    }
    examinedBytes += i - start
    // Keep a tail that may be the start of the name, split across reads.
    consume(to: max(start, buffer.count - (nameCount - 1)))
    return false
  }

  private enum Tail { case whole, incomplete, no }

  /// Whether the bytes from `from` complete a `Content-Length` header line: blanks, 1 to 18
  /// digits, blanks, `\r`s, then `\n`. Looks at no more than a short line's worth of bytes.
  private func headerLineTail(from: Int) -> Tail {
    var i = from
    let limit = from + 64
    var digits = 0
    var sawSpaceAfterDigits = false
    while i < buffer.count {
      guard i < limit else { return .no }
      let b = buffer[i]
      switch b {
      case 0x30...0x39:
        if sawSpaceAfterDigits || digits == 18 { return .no }
        digits += 1
      case 0x20, 0x09:
        if digits > 0 { sawSpaceAfterDigits = true }
      case 0x0D:
        if digits == 0 { return .no }
        sawSpaceAfterDigits = true
      case 0x0A:
        return digits > 0 ? .whole : .no
      default:
        return .no
      }
      i += 1
    }
    return .incomplete
  }

  private func trimmedLine(_ from: Int, _ to: Int) -> Range<Int> {
    var end = to
    while end > from, buffer[end - 1] == 0x0D { end -= 1 }
    var begin = from
    while begin < end, buffer[begin] == 0x20 || buffer[begin] == 0x09 { begin += 1 }
    while end > begin, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
    return begin..<end
  }

  private func emitFrame(_ range: Range<Int>, _ onEvent: (FrameEvent, Framing) -> Void) {
    buffer.withUnsafeBytes { raw in
      onEvent(.frame(UnsafeRawBufferPointer(rebasing: raw[range])), framing ?? .lsp)
    }
  }

  private mutating func compact() {
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      start = 0
    } else if start > 64 * 1024, start > buffer.count / 2 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }

  static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var lower = bytes.startIndex
    var upper = bytes.endIndex
    while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
    while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
    return bytes[lower..<upper]
  }

  static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: String) -> Bool {
    guard bytes.count == lowercase.utf8.count else { return false }
    return zip(bytes, lowercase.utf8).allSatisfy { ($0 | 0x20) == $1 }
  }

  /// A decimal length; `nil` for anything else (including values that would overflow).
  static func parseLength(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var n = 0
    for b in bytes {
      guard b >= 0x30, b <= 0x39 else { return nil }
      n = n * 10 + Int(b - 0x30)
    }
    return n
  }
}
