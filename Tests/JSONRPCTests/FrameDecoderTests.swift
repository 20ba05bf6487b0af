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
