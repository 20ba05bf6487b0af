/// An incremental decoder from a byte stream to message frames, in either framing.
///
/// Bytes arrive in arbitrary chunks (a frame split across reads, several frames in one read)
/// and frames come out as soon as they are complete. The decoder never holds more than
/// about `maxMessageBytes` of one message: a larger frame is skipped as it streams past
/// (LSP: by its declared length; NDJSON: up to the next newline) and reported as
/// ``FrameEvent/oversized(declaredBytes:)``. A broken LSP header is reported as
/// ``FrameEvent/malformed(reason:)`` and the decoder looks for the next `Content-Length`
/// header, so one bad frame never ends the session.
public struct FrameDecoder {
  public let maxMessageBytes: Int
  /// The framing in use; `nil` until `auto` has seen the first non-whitespace byte.
  public private(set) var framing: Framing?

  /// Longest header block accepted before it is declared malformed.
  static let maxHeaderBytes = 8 * 1024

  private var buffer: [UInt8] = []
  private var start = 0  // first unconsumed byte in `buffer`
  private var state = State.idle

  private enum State {
    case idle
    /// LSP: the header said N bytes; waiting for them.
    case body(length: Int)
    /// Discarding this many more bytes of an oversized LSP body.
    case skipBody(remaining: Int)
    /// NDJSON: discarding an oversized line up to its newline.
    case skipLine
    /// LSP: after a malformed header, discarding until a `Content-Length` header starts.
    case resync
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
      if let newline = chunk.firstIndex(of: 0x0A) {
        chunk = UnsafeRawBufferPointer(rebasing: chunk[(newline + 1)...])
        state = .idle
        if chunk.isEmpty { return }
      } else {
        return
      }
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

  /// Called at end of input: a partial frame left in the buffer is reported as malformed.
  public mutating func finish(_ onEvent: (FrameEvent, Framing) -> Void) {
    if framing == .ndjson, bufferedBytes > 0, case .idle = state {
      // A last line without a newline is still a message.
      let line = trimmedLine(start, buffer.count)
      start = buffer.count
      if line.lowerBound < line.upperBound { emitFrame(line, onEvent) }
      return
    }
    let leftover = buffer[start...].contains { !Self.isWhitespace($0) }
    if leftover {
      onEvent(.malformed(reason: "input ended inside a frame (\(bufferedBytes) bytes)"), framing ?? .lsp)
    }
    start = buffer.count
  }

  // MARK: - Processing

  private mutating func process(_ onEvent: (FrameEvent, Framing) -> Void) {
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

  /// NDJSON: emits one line if complete. Returns false when more bytes are needed.
  private mutating func processLine(_ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    if case .skipLine = state {
      guard let newline = buffer[start...].firstIndex(of: 0x0A) else {
        start = buffer.count
        return false
      }
      start = newline + 1
      state = .idle
      return true
    }
    guard let newline = buffer[start...].firstIndex(of: 0x0A) else {
      if bufferedBytes > maxMessageBytes {
        // Too long already: report it once and drop the rest of the line as it arrives.
        onEvent(.oversized(declaredBytes: nil), .ndjson)
        start = buffer.count
        state = .skipLine
      }
      return false
    }
    let line = trimmedLine(start, newline)
    start = newline + 1
    if line.count > maxMessageBytes {
      onEvent(.oversized(declaredBytes: line.count), .ndjson)
    } else if line.lowerBound < line.upperBound {
      emitFrame(line, onEvent)
    }
    return true
  }

  /// LSP: parses a header block or a body. Returns false when more bytes are needed.
  private mutating func processLSP(_ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    switch state {
    case .body(let length):
      guard bufferedBytes >= length else { return false }
      emitFrame(start..<(start + length), onEvent)
      start += length
      state = .idle
      return true
    case .skipBody(let remaining):
      let n = min(remaining, bufferedBytes)
      start += n
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
    while start < buffer.count, Self.isWhitespace(buffer[start]) { start += 1 }
    guard start < buffer.count else { return false }
    if let length = canonicalHeaderLength() { return accept(length: length, onEvent) }
    guard let end = headerEnd(from: start) else {
      if bufferedBytes > Self.maxHeaderBytes {
        onEvent(.malformed(reason: "header longer than \(Self.maxHeaderBytes) bytes without an empty line"), .lsp)
        start += 1
        state = .resync
        return true
      }
      return false
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
        var valueStart = colon + 1
        var valueEnd = line.upperBound
        while valueStart < valueEnd, buffer[valueStart] == 0x20 || buffer[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, buffer[valueEnd - 1] == 0x20 || buffer[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        if let n = Self.parseLength(buffer[valueStart..<valueEnd]) {
          contentLength = n
        } else {
          problem = "Content-Length is not a number"
        }
      }
      // Other headers (Content-Type) are accepted and ignored: the body is always UTF-8 JSON.
    }
    start = end.bodyStart
    guard let length = contentLength else {
      onEvent(.malformed(reason: problem ?? "header without Content-Length"), .lsp)
      state = .resync
      return true
    }
    return accept(length: length, onEvent)
  }

  private mutating func accept(length: Int, _ onEvent: (FrameEvent, Framing) -> Void) -> Bool {
    if length > maxMessageBytes {
      onEvent(.oversized(declaredBytes: length), .lsp)
      state = .skipBody(remaining: length)
    } else {
      state = .body(length: length)
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
    start = i + 4
    return length
  }

  /// Finds the empty line ending a header block: `\r\n\r\n`, or `\n\n` (also with stray `\r`s).
  private func headerEnd(from: Int) -> (headerEnd: Int, bodyStart: Int)? {
    var i = from
    var lineIsEmpty = true
    while i < buffer.count {
      switch buffer[i] {
      case 0x0A:
        if lineIsEmpty && i > from { return (i, i + 1) }
        lineIsEmpty = true
      case 0x0D: break
      default: lineIsEmpty = false
      }
      i += 1
    }
    return nil
  }

  /// Drops bytes until the next `Content-Length:` header. LSP frames follow each other with no
  /// separator, so the next header may start anywhere, not only at the start of a line.
  private mutating func resync() -> Bool {
    let needle = Array("content-length:".utf8)
    var i = start
    while i + needle.count <= buffer.count {
      if buffer[i] | 0x20 == needle[0], Self.equalsIgnoringCase(buffer[i..<(i + needle.count)], "content-length:") {
        start = i
        state = .idle
        return true
      }
      i += 1
    }
    // Keep a tail that may be the start of the header, split across reads.
    start = max(start, buffer.count - (needle.count - 1))
    return false
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
