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

  /// What the decoder emits for `stream` fed in reads of the sizes `chunks` (repeated), then
  /// finished (or, with `finishing: false`, with input left open, as an editor waiting for answers
  /// leaves it).
  static func decoding(
    _ stream: [UInt8], _ mode: FramingMode, max: Int = 1024, chunks: [Int], finishing: Bool = true
  ) -> [String] {
    var d = DecodedEvents(mode, max: max)
    var offset = 0
    var k = 0
    while offset < stream.count {
      let n = Swift.min(chunks[k % chunks.count], stream.count - offset)
      d.feed(Array(stream[offset..<(offset + n)]))
      offset += n
      k += 1
    }
    if finishing { d.finish() }
    return d.events
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

  /// End of input inside a body: the body is delivered as far as it came (answered -32700, with
  /// its id when readable); a header with no body byte after it is reported.
  @Test func truncatedFrameAtEndIsDeliveredAsFarAsItCame() {
    var d = DecodedEvents(.lsp)
    d.feed("Content-Length: 10\r\n\r\n{\"a\"")
    d.finish()
    #expect(d.events == [#"frame:{"a""#])
    var headerOnly = DecodedEvents(.lsp)
    headerOnly.feed("Content-Length: 10\r\n\r\n")
    headerOnly.finish()
    #expect(headerOnly.events == ["malformed"])
    var partialHeader = DecodedEvents(.lsp)
    partialHeader.feed("Content-Length: 10\r\n")
    partialHeader.finish()
    #expect(partialHeader.events == ["malformed"])
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
      // The bad body is delivered as it came (-32700); its tail is skipped as its own.
      #expect(d.events.count == 2, "\(d.events)")
      #expect(d.events.first?.hasPrefix("frame:{") == true)
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
    func decode(_ chunks: [Int]) -> [String] { DecodedEvents.decoding(stream, mode, max: max, chunks: chunks) }
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

  // MARK: - A Content-Length that is wrong

  static func lspFrame(_ body: String, declaring length: Int? = nil) -> String {
    "Content-Length: \(length ?? body.utf8.count)\r\n\r\n\(body)"
  }

  static let first = #"{"jsonrpc":"2.0","id":1,"method":"server.stats"}"#
  static let last = #"{"jsonrpc":"2.0","id":3,"method":"rpc.discover"}"#

  /// The adversary's case: a good frame, a frame whose `Content-Length` is 10 bytes too long (its
  /// body takes the first 10 bytes of the next header), a good frame. All three are delivered,
  /// whole, however the input is split into reads; before, the third was lost.
  @Test func longContentLengthThenAGoodFrame() {
    let bad = #"{"jsonrpc":"2.0","id":2,"method":"server.stats"}"#
    let stream = Array(
      (Self.lspFrame(Self.first) + Self.lspFrame(bad, declaring: bad.utf8.count + 10) + Self.lspFrame(Self.last)).utf8)
    for chunks in [[stream.count], [1], [7], [10, 3]] {
      let events = DecodedEvents.decoding(stream, .auto, chunks: chunks)
      #expect(events == ["frame:" + Self.first, "frame:" + bad, "frame:" + Self.last], "chunks \(chunks)")
    }
  }

  /// Bodies of every shape a length error can cut into: strings holding brackets, quotes and
  /// escapes, nesting, a batch, pretty-printed JSON, a bare scalar.
  static let badBodies = [
    #"{"jsonrpc":"2.0","id":2,"method":"m","params":{"s":"}]\"{[\\","a":[1,{"b":null}]}}"#,
    #"[{"jsonrpc":"2.0","id":2,"method":"m"},{"jsonrpc":"2.0","method":"n","params":[]}]"#,
    "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 2,\n  \"method\": \"m\"\n}\n",
    #""just a string with a \" quote""#,
    "12345",
    "true",
  ]

  /// Contract §2 over random length errors: a body declared 1 to 20 bytes longer or shorter than
  /// it is never costs the good frame after it, with either header spelling and split every way.
  /// A length too long delivers the bad body's JSON value itself; one too short delivers what it
  /// covers. Before the fix every length too long lost the next frame.
  @Test(arguments: Array(1...20))
  func lengthErrorsNeverCostTheNextFrame(error: Int) {
    for bad in Self.badBodies {
      for sign in [1, -1] {
        let declared = bad.utf8.count + sign * error
        guard declared > 0 else { continue }
        for next in [
          Self.lspFrame(Self.last),
          "content-length:\(Self.last.utf8.count)\n\n" + Self.last,
          "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + Self.lspFrame(Self.last),
        ] {
          let stream = Array((Self.lspFrame(Self.first) + Self.lspFrame(bad, declaring: declared) + next).utf8)
          let whole = DecodedEvents.decoding(stream, .lsp, chunks: [stream.count])
          let label = "\(sign * error) on \(bad) before \(next.prefix(20))"
          #expect(whole.first == "frame:" + Self.first, "\(label)")
          #expect(whole.last == "frame:" + Self.last, "\(label): \(whole)")
          if sign > 0 {
            var value = bad
            while value.hasSuffix("\n") { value.removeLast() }
            #expect(whole == ["frame:" + Self.first, "frame:" + value, "frame:" + Self.last], "\(label)")
          } else {
            #expect(whole.count <= 4, "\(label): \(whole)")
            #expect(
              whole.dropFirst().first == "frame:" + String(decoding: Array(bad.utf8).prefix(declared), as: UTF8.self))
          }
          for chunks in [[1], [2], [5], [bad.utf8.count], [3, 11, 1]] {
            #expect(DecodedEvents.decoding(stream, .lsp, chunks: chunks) == whole, "\(label), chunks \(chunks)")
          }
        }
      }
    }
  }

  /// A body that is damaged and whose length is too long as well: the end of its JSON cannot be
  /// found, and the next header is still found in its last bytes.
  @Test func damagedBodyWithALengthTooLongThenAGoodFrame() {
    for bad in [#"{"jsonrpc":"2.0","id":2,"method":"m"#, #"{"a":[1,2"#, #"{"s":"\"#] {
      for error in [1, 10, 20, 40] {
        let stream = Array((Self.lspFrame(bad, declaring: bad.utf8.count + error) + Self.lspFrame(Self.last)).utf8)
        for chunks in [[stream.count], [1], [6]] {
          let events = DecodedEvents.decoding(stream, .lsp, chunks: chunks)
          #expect(events.count == 2, "\(bad) +\(error): \(events)")
          #expect(events.last == "frame:" + Self.last, "\(bad) +\(error), chunks \(chunks)")
        }
      }
    }
  }

  /// A length so long that the body takes a whole next frame and part of the one after it: both
  /// are still delivered (the body's own value first).
  @Test func lengthTooLongByWholeFrames() {
    let middle = #"{"jsonrpc":"2.0","id":5,"method":"m","params":[{}]}"#
    let tail = Self.lspFrame(middle) + Self.lspFrame(Self.last)
    for error in [tail.utf8.count - 30, tail.utf8.count - Self.last.utf8.count + 1] {
      let stream = Array((Self.lspFrame(Self.first, declaring: Self.first.utf8.count + error) + tail).utf8)
      for chunks in [[stream.count], [1], [9]] {
        #expect(
          DecodedEvents.decoding(stream, .lsp, chunks: chunks) == [
            "frame:" + Self.first, "frame:" + middle, "frame:" + Self.last,
          ], "+\(error), chunks \(chunks)")
      }
    }
  }

  /// Bodies with no JSON value at all (empty, whitespace) are delivered (-32700) and cost nothing
  /// after them (fuzz seed 0x5EED_0001, case 115).
  @Test func bodiesWithoutAValue() {
    for body in ["", " ", "\r\n", "   \n"] {
      let stream = Array((Self.lspFrame(body) + Self.lspFrame(Self.last)).utf8)
      for chunks in [[stream.count], [1]] {
        #expect(
          DecodedEvents.decoding(stream, .lsp, chunks: chunks) == ["frame:" + body, "frame:" + Self.last],
          "\(body.debugDescription), chunks \(chunks)")
      }
    }
  }

  /// The last frame's length is too long and input ends: its value is still delivered (the wait for
  /// the bytes it announced is inherent, but end of input ends it).
  @Test func lengthTooLongOnTheLastFrame() {
    for chunks in [[1000], [1]] {
      let stream = Array((Self.lspFrame(Self.first, declaring: Self.first.utf8.count + 10)).utf8)
      #expect(DecodedEvents.decoding(stream, .lsp, chunks: chunks) == ["frame:" + Self.first])
    }
  }

  /// The cheap check alone decides for well-formed bodies: a body with text after its value that
  /// still ends in `}` and holds no line feed is delivered whole (and is -32700), as before.
  @Test func aWellFormedLookingBodyIsDeliveredWhole() {
    for body in [#"{"a":1}{"b":2}"#, #"{"a":1} x }"#, "[1] ]"] {
      let stream = Array((Self.lspFrame(body) + Self.lspFrame(Self.last)).utf8)
      #expect(DecodedEvents.decoding(stream, .lsp, chunks: [stream.count]) == ["frame:" + body, "frame:" + Self.last])
    }
  }

  // MARK: - Evidence that a length was wrong (adv1 F2, F3, F5, F6)

  static func request(_ id: Int) -> String { #"{"jsonrpc":"2.0","id":\#(id),"method":"server.stats"}"# }

  /// adv1 F5: a correctly framed body whose JSON value is followed by bytes that do not begin a
  /// header (`Content-Length:` or `Content-Type:`) is delivered whole, so it is answered -32700
  /// (RFC 8259), not executed as its first value; and the frame after it is delivered. Before, the
  /// first four were cut to their first value.
  @Test func bytesAfterTheValueThatAreNotAHeaderKeepTheBodyWhole() {
    for body in [
      Self.request(1) + "\nGARBAGE", Self.request(1) + " GARBAGE", Self.request(1) + "\n" + Self.request(9),
      "42 x", Self.request(1) + "\nContent-Lengthy: 5", Self.request(1) + "\nContent-Type 5", Self.request(1) + " x }",
      "xContent-Length: 300\r\n\r\n",
    ] {
      let stream = Array((Self.lspFrame(body) + Self.lspFrame(Self.last)).utf8)
      for chunks in [[stream.count], [1], [7]] {
        #expect(
          DecodedEvents.decoding(stream, .lsp, chunks: chunks) == ["frame:" + body, "frame:" + Self.last],
          "\(body.debugDescription), chunks \(chunks)")
      }
    }
  }

  /// adv1 F2: an exact-length body that is damaged (a string left open) and whose last bytes hold
  /// a whole `Content-Length` header line. The bytes after the body begin a header, so its length
  /// was right and nothing inside it is searched: the frames after it are delivered, and at once,
  /// before input ends (before, the inner header's 300 bytes swallowed the next frame, and an
  /// editor waiting for its answer waited for ever).
  @Test func aDamagedBodyHoldingAHeaderLineCostsNothing() {
    let damaged = #"{"jsonrpc":"2.0","id":1,"method":"server.stats","params":{"x":"\#nContent-Length: 300\#r\#n\#r\#n"#
    for gap in ["", "\r\n", "\n\n "] {
      let stream = Array((Self.lspFrame(damaged) + gap + Self.lspFrame(Self.first) + Self.lspFrame(Self.last)).utf8)
      for chunks in [[stream.count], [1], [7], [damaged.utf8.count + 20]] {
        #expect(
          DecodedEvents.decoding(stream, .lsp, chunks: chunks, finishing: false) == [
            "frame:" + damaged, "frame:" + Self.first, "frame:" + Self.last,
          ], "gap \(gap.debugDescription), chunks \(chunks)")
      }
    }
  }

  /// The bytes after a damaged body of the right length that count as the next frame's start:
  /// either header name in any case, after whitespace, and more than 64 bytes of whitespace.
  @Test func whatFollowsADamagedBodyOfTheRightLength() {
    let damaged = #"{"jsonrpc":"2.0","id":1,"params":{"x":"\#nContent-Length: 9\#r\#n"#
    for next in [
      "content-type: x\r\n" + Self.lspFrame(Self.last), "CONTENT-LENGTH: \(Self.last.utf8.count)\r\n\r\n" + Self.last,
      String(repeating: " ", count: 100) + "\r\n" + Self.lspFrame(Self.last),
    ] {
      let stream = Array((Self.lspFrame(damaged) + next).utf8)
      for chunks in [[stream.count], [1], [5]] {
        #expect(
          DecodedEvents.decoding(stream, .lsp, chunks: chunks, finishing: false) == [
            "frame:" + damaged, "frame:" + Self.last,
          ], "\(next.prefix(20).debugDescription), chunks \(chunks)")
      }
    }
  }

  /// adv1 F3: frames found inside one body, nested `k` deep, whose bodies all end at the same
  /// place after 100,000 spaces. Every byte is examined a bounded number of times, whatever the
  /// nesting: the work counted by `examinedBytes` stays under twice the input for k = 10 and
  /// k = 2000 alike (it grew as k times the spaces: every nested body trimmed them again).
  @Test func nestedFramesInsideABodyAreScannedLinearly() {
    for k in [10, 2000] {
      var inner = Array("1".utf8) + [UInt8](repeating: 0x20, count: 100_000)
      for _ in 0..<k { inner = Array("1\nContent-Length: \(inner.count)\r\n\r\n".utf8) + inner }
      let stream = Array("Content-Length: \(inner.count)\r\n\r\n".utf8) + inner
      var decoder = FrameDecoder(mode: .lsp, maxMessageBytes: 1 << 20)
      var frames = 0
      decoder.feed(stream) { event, _ in if case .frame = event { frames += 1 } }
      decoder.finish { _, _ in }
      #expect(frames == k + 1)
      #expect(
        decoder.examinedBytes < 2 * stream.count,
        "k = \(k): \(decoder.examinedBytes) bytes examined for \(stream.count)")
    }
  }

  /// A large body trickled in a byte at a time is scanned once: the scan for its value's end
  /// resumes where it stopped (it runs while the body arrives, see the next test).
  @Test func aTrickledBodyIsScannedOnce() {
    let body = "[\"" + String(repeating: "\\\"{[", count: 4000) + "\"]"
    let stream = Array((Self.lspFrame(body) + Self.lspFrame(Self.last)).utf8)
    var decoder = FrameDecoder(mode: .lsp, maxMessageBytes: 1 << 20)
    var frames: [String] = []
    for byte in stream { decoder.feed([byte]) { event, _ in frames.append(DecodedEvents.describe(event)) } }
    #expect(frames == ["frame:" + body, "frame:" + Self.last])
    #expect(decoder.examinedBytes < 2 * stream.count, "\(decoder.examinedBytes) bytes examined for \(stream.count)")
  }

  /// adv1 F6: a length too long by more than the client has sent since (an editor that then waits
  /// for its answers). Once the body holds its JSON value and a header name after it, the verdict
  /// cannot change, so the value and the frame after it are delivered without waiting for bytes
  /// that never come, however the input was split (before: nothing until input ended).
  @Test func aLengthTooLongByMoreThanWasSentIsDeliveredOnceTheVerdictIsKnown() {
    for extra in [71, 200, 900] {
      for next in [Self.lspFrame(Self.last), "content-type: x\r\n" + Self.lspFrame(Self.last)] {
        let stream = Array((Self.lspFrame(Self.first, declaring: Self.first.utf8.count + extra) + next).utf8)
        for chunks in [[stream.count], [1], [7]] {
          #expect(
            DecodedEvents.decoding(stream, .lsp, chunks: chunks, finishing: false) == [
              "frame:" + Self.first, "frame:" + Self.last,
            ], "+\(extra), chunks \(chunks)")
        }
      }
    }
  }
}
