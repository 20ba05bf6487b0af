import Foundation
import JSON
import TestSupport
import Testing

extension ReliabilityTests {
  /// A mutation fuzzer over frames and JSON against the real binary, in both framings.
  ///
  /// Thousands of damaged messages (see ``FuzzCaseGenerator``) are written in one stream, each
  /// followed by a clean sentinel request. Because every case is built to leave the stream in step,
  /// the check is exact: the server must answer every sentinel, every request whose id it can read
  /// exactly once (ids counted over the whole run, so a mutation that turns one id into another is
  /// still accounted for), the id-null errors the rules call for, nothing else, only whole frames on
  /// stdout, and it must still answer a valid request and exit 0 at the end.
  @Suite("Reliability: mutation fuzzer")
  struct ReliabilityFuzzTests {
    static let cases = 1500
    static let maxMessageBytes = 65536
    /// The server's JSON nesting limit (ConnectionConfiguration.maxDepth).
    static let maxDepth = 128

    @Test("LSP framing: damaged headers and bodies", arguments: [UInt64(0x5EED_0001), 0x5EED_0002])
    func lsp(seed: UInt64) async throws {
      try await run(.lsp, seed: seed)
    }

    @Test("NDJSON framing: damaged lines", arguments: [UInt64(0x5EED_0003), 0x5EED_0004])
    func ndjson(seed: UInt64) async throws {
      try await run(.ndjson, seed: seed)
    }

    private func run(_ framing: FuzzCaseGenerator.Framing, seed: UInt64) async throws {
      let server = try ServerProcess(
        ["--demo", "--max-message-bytes", "\(Self.maxMessageBytes)"], framing: framing == .lsp ? .lsp : .ndjson)
      var expected = FuzzExpectation()
      // Odd seeds start the input with a UTF-8 byte order mark, which is skipped (contract §2).
      if seed % 2 == 1 { server.sendRaw([0xEF, 0xBB, 0xBF]) }
      let initialize = await server.call(1, "initialize", ["capabilities": [:]])
      #expect(initialize?["result"]?["backend"] == "demo")
      expected.ids["1", default: 0] += 1

      var generator = FuzzCaseGenerator(
        framing: framing, seed: seed, maxMessageBytes: Self.maxMessageBytes, maxDepth: Self.maxDepth)
      var labels: [String: String] = [:]  // id -> the case that should be answered with it
      var stream: [UInt8] = []
      for k in 0..<Self.cases {
        let fuzzCase = generator.next()
        for id in fuzzCase.expectation.ids.keys { labels[id] = "case \(k): \(fuzzCase.label)" }
        expected.add(fuzzCase.expectation)
        stream += fuzzCase.bytes
        stream += frame(["jsonrpc": "2.0", "id": .string("sentinel-\(k)"), "method": "server.stats"], framing)
        expected.ids[JSONWriter.string(.string("sentinel-\(k)")), default: 0] += 1
        labels[JSONWriter.string(.string("sentinel-\(k)"))] = "the sentinel after case \(k): \(fuzzCase.label)"
        if stream.count > 256 * 1024 {
          try await onOwnThread { [stream] in server.sendRaw(stream) }  // blocks until the server reads it
          stream = []
        }
      }
      try await onOwnThread { [stream] in server.sendRaw(stream) }

      let sentinels = await server.waitFor(timeout: defaultTimeout * 1.5) { all in
        all.count(where: { $0["id"]?.stringValue?.hasPrefix("sentinel-") == true }) >= Self.cases
      }
      #expect(sentinels, "not every sentinel was answered (seed \(seed))")
      // Wait until nothing is in flight, then one last request: everything before it is out.
      var idle = false
      for poll in 0..<400 where !idle {
        let stats = await server.call(.string("idle-\(poll)"), "server.stats")
        expected.ids[JSONWriter.string(.string("idle-\(poll)")), default: 0] += 1
        idle = stats?["result"]?["inFlight"] == 0 && stats?["result"]?["queued"] == 0
        if !idle { try await Task.sleep(for: .milliseconds(50)) }
      }
      #expect(idle, "requests still in flight after the run")
      let last = await server.call("last", "server.stats")
      #expect(last?["result"] != nil, "the server does not answer a valid request after the fuzz run")
      expected.ids["\"last\"", default: 0] += 1
      server.closeInput()
      #expect(await server.waitForExit() == 0)

      checkOutput(server, framing)
      let ok = compare(expected, received(server.messages), labels: labels, seed: seed)
      if !ok {
        var reasons: [String: Int] = [:]
        for item in server.messages.flatMap({ $0.arrayValue ?? [$0] })
        where item["id"]?.isNull == true && item["error"]?["code"] != -32700 {
          reasons[item["error"]?["message"]?.stringValue ?? "(result)", default: 0] += 1
        }
        Issue.record("id-null answers by message: \(reasons.sorted { $0.value > $1.value }.prefix(40))")
      }
    }

    private func frame(_ value: JSONValue, _ framing: FuzzCaseGenerator.Framing) -> [UInt8] {
      let body = JSONWriter.bytes(value)
      switch framing {
      case .lsp: return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
      case .ndjson: return body + [0x0A]
      }
    }

    /// Stdout is whole frames of valid JSON-RPC and nothing else.
    private func checkOutput(_ server: ServerProcess, _ framing: FuzzCaseGenerator.Framing) {
      #expect(server.parseFailures.isEmpty, "non-frame output: \(server.parseFailures.prefix(3))")
      var rest = server.stdoutBytes[...]
      while let (_, used) = ServerProcess.nextFrame(rest, framing: framing == .lsp ? .lsp : .ndjson) {
        rest = rest.dropFirst(used)
      }
      #expect(rest.isEmpty, "stdout ends with \(rest.count) bytes that are not a whole frame")
      for message in server.messages {
        let items = message.arrayValue ?? [message]
        #expect(!items.isEmpty, "an empty array was written")
        for item in items where !Self.isValidOutput(item, inBatch: message.arrayValue != nil) {
          Issue.record("not a valid JSON-RPC message from the server: \(JSONWriter.string(item).prefix(300))")
        }
      }
    }

    static func isValidOutput(_ item: JSONValue, inBatch: Bool) -> Bool {
      guard case .object(let o) = item, o["jsonrpc"] == "2.0" else { return false }
      if let method = o["method"] {  // a notification from the server ($/progress)
        return !inBatch && method.stringValue != nil && o["id"] == nil
      }
      guard let id = o["id"] else { return false }
      switch id {
      case .string, .number, .null: break
      default: return false
      }
      switch (o["result"], o["error"]) {
      case (_?, nil): return true
      case (nil, let error?):
        return error["code"]?.intValue != nil && error["message"]?.stringValue != nil
      default: return false
      }
    }

    /// What the server did answer, in the same shape as the expectation.
    private func received(_ messages: [JSONValue]) -> FuzzExpectation {
      var got = FuzzExpectation()
      for message in messages {
        let items: [JSONValue]
        if let array = message.arrayValue {
          got.batchAnswers += 1
          items = array
        } else {
          items = [message]
        }
        for item in items where item["method"] == nil {
          guard let id = item["id"] else { continue }
          if id.isNull {
            if let code = item["error"]?["code"]?.intValue {
              got.nullErrors[code, default: 0] += 1
            } else {
              got.nullResults += 1
            }
          } else {
            got.ids[JSONWriter.string(id), default: 0] += 1
          }
        }
      }
      return got
    }

    @discardableResult
    private func compare(_ expected: FuzzExpectation, _ got: FuzzExpectation, labels: [String: String], seed: UInt64)
      -> Bool
    {
      let keys = Set(expected.ids.keys).union(got.ids.keys)
      let wrong = keys.filter { expected.ids[$0, default: 0] != got.ids[$0, default: 0] }.sorted()
      #expect(
        wrong.isEmpty,
        """
        seed \(seed): \(wrong.count) ids answered the wrong number of times, e.g. \
        \(wrong.prefix(8).map { "\($0): expected \(expected.ids[$0, default: 0]), got \(got.ids[$0, default: 0]) \(labels[$0] ?? "")" })
        """)
      #expect(got.batchAnswers == expected.batchAnswers, "seed \(seed): batch answers")
      // Id-null answers: exact kinds first, then the id-null requests whose outcome may be either,
      // then the garbage allowance (parse/invalid-request errors only).
      var errors = got.nullErrors
      var results = got.nullResults - expected.nullResults
      #expect(results >= 0, "seed \(seed): \(expected.nullResults) id-null results expected, got \(got.nullResults)")
      for (code, count) in expected.nullErrors {
        #expect(
          errors[code, default: 0] >= count,
          "seed \(seed): expected \(count) id-null errors \(code), got \(errors[code, default: 0])")
        errors[code, default: 0] -= count
      }
      var any = expected.nullAny
      let fromResults = min(any, max(results, 0))
      results -= fromResults
      any -= fromResults
      for code in errors.keys.sorted() where code != -32700 && code != -32600 && any > 0 {
        let n = min(any, errors[code]!)
        errors[code]! -= n
        any -= n
      }
      for code in [-32600, -32700] where any > 0 {
        let n = min(any, max(errors[code, default: 0], 0))
        errors[code, default: 0] -= n
        any -= n
      }
      #expect(results == 0, "seed \(seed): \(results) id-null results nobody asked for")
      let garbage = errors.filter { $0.value != 0 }
      let garbageCount = garbage.values.reduce(0, +)
      let nullsAddUp =
        any == 0 && garbage.keys.allSatisfy({ $0 == -32700 || $0 == -32600 })
        && expected.extraNullErrors.contains(garbageCount)
      #expect(
        nullsAddUp,
        """
        seed \(seed): id-null errors do not add up: \(any) id-null answers missing, left over \(garbage) \
        (allowed \(expected.extraNullErrors)); expected \(expected.nullErrors), got \(got.nullErrors)
        """)
      return wrong.isEmpty && nullsAddUp && results == 0 && got.batchAnswers == expected.batchAnswers
    }
  }
}
