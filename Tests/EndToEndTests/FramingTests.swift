import JSON
import Testing

/// LSP and NDJSON framing, `auto` detection, broken and oversized frames (contract §2).
@Suite struct FramingTests {
  static let stats: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": "server.stats"]

  static func lspFrame(_ body: String) -> String { "Content-Length: \(body.utf8.count)\r\n\r\n\(body)" }

  /// A demo server in LSP framing that has been sent `bytes`, at once or a byte at a time.
  static func lspServer(sending bytes: [UInt8], trickled: Bool) throws -> ServerProcess {
    let server = try ServerProcess.demo(framing: .lsp)
    if trickled {
      for byte in bytes { server.sendRaw([byte]) }
    } else {
      server.sendRaw(bytes)
    }
    return server
  }

  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func autoAnswersInTheInputsFraming(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    #expect(await server.call(1, "server.stats")?["result"] != nil)
    let prefix = String(decoding: server.stdoutBytes.prefix(16), as: UTF8.self)
    #expect(prefix.hasPrefix(framing == .lsp ? "Content-Length: " : "{"))
    #expect(server.parseFailures.isEmpty)
  }

  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func explicitFraming(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess(["--demo", "--framing", framing == .lsp ? "lsp" : "ndjson"], framing: framing)
    #expect(await server.call("a", "server.stats")?["result"]?["upstream"] != nil)
    #expect(server.parseFailures.isEmpty)
  }

  /// LSP headers: any case for the name, an optional Content-Type, several frames in one write.
  @Test func lspHeaderVariantsAndPipelinedFrames() async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    let one = JSONWriter.string(["jsonrpc": "2.0", "id": 1, "method": "server.stats"])
    let two = JSONWriter.string(["jsonrpc": "2.0", "id": 2, "method": "server.stats"])
    server.sendRaw(
      "content-length: \(one.utf8.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n\(one)"
        + Self.lspFrame(two))
    #expect(await server.waitFor { _ in server.responses(1).count == 1 && server.responses(2).count == 1 })
  }

  /// NDJSON: `\r\n` line ends and blank lines are fine.
  @Test func ndjsonCRLFAndBlankLines() async throws {
    let server = try ServerProcess.demo(framing: .ndjson)
    server.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.stats\"}\r\n\r\n\n")
    server.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"server.stats\"}\r\n")
    #expect(await server.waitFor { _ in server.responses(1).count == 1 && server.responses(2).count == 1 })
    #expect(server.parseFailures.isEmpty)
  }

  @Test(arguments: ["Content-Length: twelve\r\n\r\n{}", "Content-Type: application/json\r\n\r\n{}"])
  func brokenHeaderIsSkippedAndTheNextFrameAnswered(_ broken: String) async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    server.sendRaw(broken + Self.lspFrame(JSONWriter.string(Self.stats)))
    #expect(await server.waitFor { _ in server.responses(1).count == 1 })
    let errors = server.responses(.null)
    #expect(errors.map(\.errorCode) == [-32700])
    #expect(server.responses(1).first?["result"] != nil)
    #expect(server.isRunning)
  }

  @Test func oversizedLSPFrameIsRefusedAndTheStreamGoesOn() async throws {
    let server = try ServerProcess(["--demo", "--max-message-bytes", "200"], framing: .lsp)
    let padding = String(repeating: "x", count: 5000)
    let big: JSONValue = ["jsonrpc": "2.0", "id": 7, "method": "server.stats", "params": ["pad": .string(padding)]]
    server.send(big)
    server.send(Self.stats)
    #expect(await server.waitFor { _ in server.responses(1).count == 1 })
    #expect(server.responses(.null).map(\.errorCode) == [-32600])
    #expect(server.responses(7).isEmpty)
    #expect(server.responses(1).first?["result"] != nil)
  }

  @Test func oversizedNDJSONLineIsRefusedAndTheStreamGoesOn() async throws {
    let server = try ServerProcess(["--demo", "--max-message-bytes", "200"], framing: .ndjson)
    let padding = String(repeating: "y", count: 100_000)
    server.request(7, "server.stats", ["pad": .string(padding)])
    server.send(Self.stats)
    #expect(await server.waitFor { _ in server.responses(1).count == 1 })
    #expect(server.responses(.null).map(\.errorCode) == [-32600])
    #expect(server.responses(1).first?["result"] != nil)
  }

  /// Contract §3: text that is not JSON is answered -32700 with its id when the id is readable
  /// (id 1 below), and with id null when it is not (cut off inside the id: `3` may be `30`).
  @Test func parseErrorIsAnsweredWithTheIdWhenItIsReadable() async throws {
    let server = try ServerProcess.demo(framing: .ndjson)
    server.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \n")
    server.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 3\n")
    server.send(["jsonrpc": "2.0", "id": 2, "method": "server.stats"])
    #expect(await server.waitFor { _ in server.responses(2).count == 1 })
    #expect(server.responses(1).map(\.errorCode) == [-32700])
    #expect(server.responses(.null).map(\.errorCode) == [-32700])
    #expect(server.responses(3).isEmpty)
  }

  /// End of input in the middle of an LSP body: answered -32700, and the process still exits 0.
  @Test func truncatedFrameAtEndOfInput() async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    server.send(Self.stats)
    server.sendRaw("Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(server.responses(1).count == 1)
    #expect(server.responses(.null).map(\.errorCode) == [-32700])
  }

  /// The adversary's case of contract §2: a good frame, a frame whose `Content-Length` is 10 bytes
  /// too long (its body takes the start of the next header), a good frame, and last a frame too
  /// long with nothing after it before input ends. Every request is answered, with its result.
  @Test(arguments: [false, true])
  func longContentLengthThenAGoodFrame(trickled: Bool) async throws {
    func body(_ id: Int) -> String {
      JSONWriter.string(["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": "server.stats"])
    }
    func frame(_ id: Int, tooLongBy extra: Int = 0) -> String {
      "Content-Length: \(body(id).utf8.count + extra)\r\n\r\n\(body(id))"
    }
    let bytes = Array((frame(1) + frame(2, tooLongBy: 10) + frame(3) + frame(4, tooLongBy: 10)).utf8)
    let server = try Self.lspServer(sending: bytes, trickled: trickled)
    #expect(await server.waitFor { _ in server.responses(3).count == 1 })
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    for id in 1...4 {
      #expect(server.responses(.number(JSONNumber(id))).map { $0["result"]?["upstream"] != nil } == [true], "id \(id)")
    }
    #expect(server.messages.count == 4, "\(server.messages)")
  }

  /// `../shared/cases/wire/bom-before-ndjson.ndjson`, and the same with LSP frames: a UTF-8 byte
  /// order mark at the very start of input is skipped (contract §2), and `auto` still decides by
  /// the first byte after it.
  @Test(arguments: [ServerProcess.Framing.ndjson, .lsp])
  func byteOrderMarkAtTheStartIsSkipped(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    server.sendRaw([0xEF, 0xBB, 0xBF])
    server.send(["jsonrpc": "2.0", "id": 1, "method": "server.stats"])
    server.send(["jsonrpc": "2.0", "id": 2, "method": "rpc.discover"])
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(server.responses(1).first?["result"]?["upstream"] != nil)
    #expect(server.responses(2).first?["result"]?["openrpc"] != nil)
    #expect(server.parseFailures.isEmpty)
    let prefix = String(decoding: server.stdoutBytes.prefix(16), as: UTF8.self)
    #expect(prefix.hasPrefix(framing == .lsp ? "Content-Length: " : "{"))
  }

  /// `../shared/cases/wire/lsp-short-length-then-good-frame.bin`, byte for byte: a Content-Length
  /// that counted characters, not bytes. The bad frame gets an error; the good frame after it
  /// (id 2) is answered, whether the input arrives at once or a byte at a time.
  @Test(arguments: [false, true])
  func shortContentLengthThenAGoodFrame(trickled: Bool) async throws {
    let bad =
      #"{"jsonrpc":"2.0","id":1,"method":"radar.ct.timeseriesGroups","params":{"dimension":"CA","name":"café→ü"}}"#
    let good = #"{"jsonrpc":"2.0","id":2,"method":"server.stats"}"#
    let bytes = Array("Content-Length: 105\r\n\r\n\(bad)Content-Length: 48\r\n\r\n\(good)".utf8)
    #expect(bytes.count == 202)  // the case file's size
    let server = try Self.lspServer(sending: bytes, trickled: trickled)
    #expect(await server.waitFor { _ in server.responses(2).count == 1 })
    #expect(server.responses(2).first?["result"]?["upstream"] != nil)
    let errors = server.messages.filter { $0["error"] != nil }
    #expect(!errors.isEmpty && errors.allSatisfy { $0.errorCode == -32700 }, "\(errors)")
    #expect(server.responses(1).allSatisfy { $0["result"] == nil })
    #expect(server.isRunning)
  }

  static func statsBody(_ id: Int) -> String {
    JSONWriter.string(["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": "server.stats"])
  }

  /// adv1 F5: a correctly framed body whose JSON value is followed by other bytes that do not begin
  /// a header is not JSON (RFC 8259): answered -32700 (with its id, readable here), not executed;
  /// two requests in one frame are not two requests. The frame after each is answered.
  @Test func bytesAfterTheValueInAWellFramedBodyAreAParseError() async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    server.sendRaw(Self.lspFrame(Self.statsBody(1) + "\nGARBAGE") + Self.lspFrame(Self.statsBody(2)))
    server.sendRaw(Self.lspFrame(Self.statsBody(3) + " GARBAGE") + Self.lspFrame(Self.statsBody(4)))
    server.sendRaw(Self.lspFrame(Self.statsBody(5) + "\n" + Self.statsBody(9)) + Self.lspFrame(Self.statsBody(6)))
    #expect(
      await server.waitFor { _ in [2, 4, 6].allSatisfy { server.responses(.number(JSONNumber($0))).count == 1 } })
    for id in [2, 4, 6] { #expect(server.responses(.number(JSONNumber(id))).first?["result"] != nil) }
    #expect(server.responses(1).map(\.errorCode) == [-32700])
    #expect(server.responses(3).map(\.errorCode) == [-32700])
    #expect(server.responses(9).isEmpty)
    #expect(server.messages.filter { $0["result"] != nil }.count == 3, "\(server.messages)")
  }

  /// adv1 F2 and F6, as an editor meets them: it writes frames and waits for their answers with
  /// its input left open. A damaged exact-length body holding a `Content-Length: 300` line, then a
  /// good frame; a frame whose length is 200 bytes too long, then a good frame. Every good
  /// request is answered without more input (before, ids 2 and 4 waited for ever).
  @Test func framesAfterABadOneAreAnsweredWhileInputStaysOpen() async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    let damaged = #"{"jsonrpc":"2.0","id":1,"method":"server.stats","params":{"x":"\#nContent-Length: 300\#r\#n\#r\#n"#
    server.sendRaw(Self.lspFrame(damaged) + Self.lspFrame(Self.statsBody(2)))
    #expect(await server.waitFor { _ in server.responses(2).count == 1 })
    let long = Self.statsBody(3)
    server.sendRaw("Content-Length: \(long.utf8.count + 200)\r\n\r\n\(long)" + Self.lspFrame(Self.statsBody(4)))
    #expect(await server.waitFor { _ in server.responses(4).count == 1 })
    #expect(server.responses(1).map(\.errorCode) == [-32700])
    for id in 2...4 { #expect(server.responses(.number(JSONNumber(id))).first?["result"] != nil, "id \(id)") }
    #expect(server.messages.count == 4, "\(server.messages)")
  }
}
