import Foundation
import JSON
import TestSupport
import Testing

extension ReliabilityTests {
  /// Hostile upstream replies (``UpstreamFuzzCaseGenerator``) through the real binary's live
  /// backend, one call each with `--retries 0`: every call gets exactly the answer its reply calls
  /// for (contract §3, §7), the server keeps serving, and the token the fake echoes everywhere never
  /// reaches standard output or standard error (§1).
  @Suite("Reliability: hostile upstream replies")
  struct ReliabilityUpstreamFuzzTests {
    static let token = "upstream-fuzz-token-c93e"
    static let cases = 250

    @Test(
      "headers, numbers, dates, error objects and bodies from upstream", arguments: [UInt64(0x5EED_0101), 0x5EED_0102])
    func hostileReplies(seed: UInt64) async throws {
      let fake = try await onOwnThread { try FakeCloudflare(["--token", Self.token]) }
      let server = try ServerProcess(
        [
          "--framing", "ndjson", "--base-url", fake.baseURL, "--retries", "0", "--cache-ttl", "0", "--log-level",
          "debug",
        ],
        framing: .ndjson, environment: ["CLOUDFLARE_API_TOKEN": Self.token])
      var generator = UpstreamFuzzCaseGenerator(seed: seed)
      var wrong: [String] = []
      for k in 0..<Self.cases {
        let fuzzCase = generator.next()
        try await fake.script([fuzzCase.fault])
        let answer = await server.call(
          .string("call-\(k)"), "radar.ct.timeseriesGroups",
          ["dimension": "CA", "dateRange": "7d", "workDoneToken": .string("progress-\(k)")])
        let got: UpstreamFuzzCase.Outcome? =
          switch answer?["error"]?["code"]?.intValue {
          case nil: answer?["result"] != nil ? .result : nil
          case .some(-32003):
            .rateLimited(retryAfterSeconds: answer?["error"]?["data"]?["retryAfterSeconds"]?.doubleValue)
          case let code?: .error(code)
          }
        if got != fuzzCase.outcome {
          wrong.append(
            "case \(k) (\(fuzzCase.label)): expected \(fuzzCase.outcome), got \(answer.map(JSONWriter.string) ?? "no answer")"
          )
        }
      }
      #expect(wrong.isEmpty, "seed \(seed): \(wrong.count) of \(Self.cases) wrong, e.g. \(wrong.prefix(5))")
      #expect(try await fake.total() == Self.cases, "one upstream request per call")
      #expect(await server.call("after", "server.stats")?["result"] != nil)
      server.closeInput()
      #expect(await server.waitForExit() == 0)
      let stdout = String(decoding: server.stdoutBytes, as: UTF8.self)
      #expect(stdout.contains("[redacted]"), "nothing was echoed: the check below would prove nothing")
      #expect(!stdout.contains(Self.token), "seed \(seed): the token reached standard output")
      #expect(!server.stderrText.contains(Self.token), "seed \(seed): the token reached standard error")
    }
  }
}
