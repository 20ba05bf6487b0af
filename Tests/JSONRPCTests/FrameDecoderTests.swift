import Testing

@testable import JSONRPC

/// Collects what a decoder emits, as strings, for easy assertions.
struct DecodedEvents {
  var decoder: FrameDecoder
  var events: [String] = []

  init(_ mode: FramingMode, max: Int = 1024) {
    decoder = FrameDecoder(mode: mode, maxMessageBytes: max)
  }

  mutating func feed(_ text: String) { feed(Array(text.utf8)) }

  mutating func feed(_ bytes: [UInt8]) {
    var collected: [String] = []
    decoder.feed(bytes) { event, _ in collected.append(Self.describe(event)) }
    events += collected
  }

  mutating func finish() {
    var collected: [String] = []
    decoder.finish { event, _ in collected.append(Self.describe(event)) }
    events += collected
  }

  static func describe(_ event: FrameEvent) -> String {
    switch event {
    case .frame(let bytes): "frame:" + String(decoding: bytes, as: UTF8.self)
    case .oversized(let n): "oversized:\(n.map(String.init) ?? "?")"
    case .malformed: "malformed"
    }
  }
}

@Suite struct FrameDecoderTests {
  @Test func lspSingleFrame() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: 7\r\n\r\n{\"a\":1}")
    #expect(d.events == [#"frame:{"a":1}"#])
  }

  @Test func lspSplitAtEveryByte() {
    let stream =
      "Content-Length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"a\":1}"
      + "content-length:2\r\n\r\n[]"
    var d = DecodedEvents(.auto)
    for byte in Array(stream.utf8) { d.feed([byte]) }
    #expect(d.events == [#"frame:{"a":1}"#, "frame:[]"])
    #expect(d.decoder.framing == .lsp)
  }

  @Test func lspSeveralFramesInOneRead() {
    var d = DecodedEvents(.lsp)
    let frame = "Content-Length: 2\r\n\r\n{}"
    d.feed(String(repeating: frame, count: 5))
    #expect(d.events == Array(repeating: "frame:{}", count: 5))
  }

  @Test func lspHeaderNamesAreCaseInsensitiveAndLFIsAccepted() {
    var d = DecodedEvents(.lsp)
    d.feed("CONTENT-LENGTH:   2  \n\n{}")
    d.feed("Content-Length: 2\r\r\n\r\r\n[]")  // Windows text mode turned \n into \r\n
    #expect(d.events == ["frame:{}", "frame:[]"])
  }

  @Test func lspMultiByteUTF8CountsBytes() {
    let body = "{\"s\":\"é😀\"}"
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    #expect(d.events == ["frame:\(body)"])
  }

  @Test func lspOversizedFrameIsSkippedWithoutBuffering() {
    var d = DecodedEvents(.lsp, max: 100)
    d.feed("Content-Length: 100000\r\n\r\n")
    #expect(d.events == ["oversized:100000"])
    for _ in 0..<100 {
      d.feed([UInt8](repeating: UInt8(ascii: "x"), count: 1000))
      #expect(d.decoder.bufferedBytes == 0)
    }
    d.feed("Content-Length: 2\r\n\r\n{}")
    #expect(d.events == ["oversized:100000", "frame:{}"])
  }

  @Test func lspBrokenHeadersResynchronise() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: abc\r\n\r\n{\"lost\":1}Content-Length: 2\r\n\r\n{}")
    d.feed("X-Nonsense: 1\r\n\r\ngarbage\r\nContent-Length: 2\r\n\r\n[]")
    d.feed("Content-Length: 99999999999999999999999\r\n\r\nContent-Length: 4\r\n\r\nnull")
    #expect(d.events == ["malformed", "frame:{}", "malformed", "frame:[]", "malformed", "frame:null"])
  }

  @Test func lspEndlessHeaderIsMalformedNotUnbounded() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: 2\r\n" + String(repeating: "X-Pad: yyyyyyyy\r\n", count: 1000))
    #expect(d.events == ["malformed"])
    #expect(d.decoder.bufferedBytes < 20_000)
  }

  @Test func ndjsonLinesLFAndCRLF() {
    var d = DecodedEvents(.auto)
    d.feed("\n  {\"a\":1}\r\n\n[1,2]\n{\"b\"")
    d.feed(":2}\n")
    #expect(d.events == [#"frame:{"a":1}"#, "frame:[1,2]", #"frame:{"b":2}"#])
    #expect(d.decoder.framing == .ndjson)
  }

  @Test func ndjsonLastLineWithoutNewlineIsDeliveredAtEnd() {
    var d = DecodedEvents(.ndjson)
    d.feed("{}\n{\"x\":1}")
    #expect(d.events == ["frame:{}"])
    d.finish()
    #expect(d.events == ["frame:{}", #"frame:{"x":1}"#])
  }

  @Test func ndjsonOversizedLineIsSkipped() {
    var d = DecodedEvents(.ndjson, max: 100)
    d.feed("{\"big\":\"" + String(repeating: "x", count: 150))
    #expect(d.events == ["oversized:?"])
    d.feed(String(repeating: "x", count: 5000))
    #expect(d.decoder.bufferedBytes == 0)
    d.feed("\"}\n{}\n")
    #expect(d.events == ["oversized:?", "frame:{}"])
    // A complete line that is too long in one read.
    d.feed("[" + String(repeating: "1,", count: 100) + "1]\n[]\n")
    #expect(d.events == ["oversized:?", "frame:{}", "oversized:203", "frame:[]"])
  }

  @Test func autoDetection() {
    var lsp = DecodedEvents(.auto)
    lsp.feed("  \r\nContent-Length: 2\r\n\r\n{}")
    #expect(lsp.decoder.framing == .lsp)
    var nd = DecodedEvents(.auto)
    nd.feed("\n\n[")
    #expect(nd.decoder.framing == .ndjson)
    var undecided = DecodedEvents(.auto)
    undecided.feed(" \n\t")
    #expect(undecided.decoder.framing == nil)
  }

  @Test func truncatedFrameAtEndIsReported() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: 10\r\n\r\n{\"a\"")
    d.finish()
    #expect(d.events == ["malformed"])
  }
}

@Suite struct FrameEncoderTests {
  @Test func lspHeaderCountsBytes() {
    let body = Array("{\"s\":\"é\"}".utf8)
    let frame = String(decoding: FrameEncoder.frame(body: body, framing: .lsp), as: UTF8.self)
    #expect(frame == "Content-Length: \(body.count)\r\n\r\n{\"s\":\"é\"}")
    #expect(body.count == 10)
  }

  @Test func ndjsonIsOneLine() {
    let frame = FrameEncoder.frame(body: Array("{}".utf8), framing: .ndjson)
    #expect(frame == Array("{}\n".utf8))
  }
}

/// What contract §2 adds: a byte order mark, resynchronisation after a bad frame, verdicts that
/// do not depend on how reads split the input, and scanning that never starts over.
@Suite struct FrameDecoderRobustnessTests {
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  @Test(arguments: [FramingMode.auto, .ndjson])
  func byteOrderMarkBeforeNDJSONIsSkipped(mode: FramingMode) {
    let stream = Self.byteOrderMark + Array("{\"a\":1}\n{\"b\":2}\n".utf8)
    var whole = DecodedEvents(mode)
    whole.feed(stream)
    #expect(whole.events == [#"frame:{"a":1}"#, #"frame:{"b":2}"#])
    #expect(whole.decoder.framing == .ndjson)
    var trickled = DecodedEvents(mode)
    for byte in stream { trickled.feed([byte]) }
    #expect(trickled.events == whole.events)
  }

  @Test func byteOrderMarkBeforeLSPIsSkipped() {
    let stream = Self.byteOrderMark + Array("Content-Length: 2\r\n\r\n{}".utf8)
    var whole = DecodedEvents(.auto)
    whole.feed(stream)
    #expect(whole.events == ["frame:{}"])
    #expect(whole.decoder.framing == .lsp)
    var trickled = DecodedEvents(.lsp)
    for byte in stream { trickled.feed([byte]) }
    #expect(trickled.events == ["frame:{}"])
  }

  /// Only at the very start of input: a mark later on is the message's own (invalid) bytes.
  @Test func byteOrderMarkIsSkippedOnlyAtTheStart() {
    var d = DecodedEvents(.ndjson)
    d.feed(Self.byteOrderMark + Array("{}\n".utf8) + Self.byteOrderMark + Array("[]\n".utf8))
    #expect(d.events.count == 2)
    #expect(d.events.first == "frame:{}")
    #expect(d.events.last != "frame:[]")
  }

  /// `../shared/cases/wire/lsp-short-length-then-good-frame.bin`: a Content-Length that counts
  /// characters, not bytes, leaves the body's tail in front of the next header.
  @Test func shortContentLengthThenAGoodFrame() {
    let bad =
      #"{"jsonrpc":"2.0","id":1,"method":"radar.ct.timeseriesGroups","params":{"dimension":"CA","name":"café→ü"}}"#
    let good = #"{"jsonrpc":"2.0","id":2,"method":"server.stats"}"#
    let stream = "Content-Length: \(bad.count)\r\n\r\n\(bad)Content-Length: \(good.utf8.count)\r\n\r\n\(good)"
    #expect(bad.count < bad.utf8.count)
    for chunk in [stream.utf8.count, 1, 7] {
      var d = DecodedEvents(.auto)
      let bytes = Array(stream.utf8)
      for offset in stride(from: 0, to: bytes.count, by: chunk) {
        d.feed(Array(bytes[offset..<min(offset + chunk, bytes.count)]))
      }
      #expect(d.events.count == 3, "\(d.events)")
      #expect(d.events.dropFirst().first == "malformed")
      #expect(d.events.last == "frame:\(good)", "chunk \(chunk)")
    }
  }

  /// A body that mentions `Content-Length` is not a header: only a whole header line counts.
  @Test func resynchronisationNeedsAWholeHeaderLine() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: x\r\n\r\n{\"text\":\"Content-Length: 5\"}\r\nContent-Length: 2\r\n\r\n[]")
    #expect(d.events == ["malformed", "frame:[]"])
  }

  /// The same input split every possible way gets the same verdicts: sizes right at the limit,
  /// `\r\n` line ends, blank lines, oversized lines and bodies.
  @Test(arguments: [FramingMode.ndjson, .lsp])
  func verdictsDoNotDependOnHowReadsSplitTheInput(mode: FramingMode) {
    let max = 40
    var stream: [UInt8] = []
    for size in (max - 3)...(max + 3) {
      let body = "[\"" + String(repeating: "x", count: size - 4) + "\"]"
      for ending in ["\n", "\r\n"] {
        switch mode {
        case .lsp: stream += Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        default: stream += Array((body + ending + (size % 2 == 0 ? "\r\n" : "")).utf8)
        }
      }
    }
    stream += Array((mode == .lsp ? "Content-Length: 2\r\n\r\n{}" : "{}").utf8)
    func decode(_ chunks: [Int]) -> [String] {
      var d = DecodedEvents(mode, max: max)
      var offset = 0
      var k = 0
      while offset < stream.count {
        let n = Swift.min(chunks[k % chunks.count], stream.count - offset)
        d.feed(Array(stream[offset..<(offset + n)]))
        offset += n
        k += 1
      }
      d.finish()
      return d.events
    }
    let whole = decode([stream.count])
    #expect(whole.filter { $0.hasPrefix("frame:") }.count > 0)
    #expect(whole.filter { $0.hasPrefix("oversized:") }.count > 0)
    for chunks in [[1], [2], [3], [max - 1], [max], [max + 1], [max + 2], [5, 1, 17, 2, 40, 3]] {
      let events = decode(chunks).map { $0.hasPrefix("oversized:") ? "oversized" : $0 }
      #expect(events == whole.map { $0.hasPrefix("oversized:") ? "oversized" : $0 }, "chunks \(chunks)")
    }
  }

  /// A line that arrives a byte at a time is searched once: the search resumes where it stopped
  /// (the CPU this saves is measured by bench/framing_trickle.py).
  @Test(arguments: [FramingMode.ndjson, .lsp])
  func scanningResumesWhereItStopped(mode: FramingMode) {
    var d = DecodedEvents(mode, max: 1 << 20)
    let text =
      mode == .lsp
      ? "Content-Type: x" + String(repeating: "y", count: 2000) : "[\"" + String(repeating: "y", count: 20_000)
    for byte in Array(text.utf8) {
      d.feed([byte])
      #expect(d.decoder.scanned == d.decoder.bufferedBytes)
      if d.decoder.scanned != d.decoder.bufferedBytes { break }
    }
  }
}
