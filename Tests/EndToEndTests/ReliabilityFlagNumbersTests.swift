import JSON
import TestSupport
import Testing

extension ReliabilityTests {
  /// Contract §7: every number that comes from outside is range-checked before it becomes an
  /// integer, a duration or a size. For every numeric flag `--help` lists (`N`, `MS`, `SECONDS`,
  /// `N/SECONDS`), numbers at and past every integer width, and numbers no machine type holds:
  /// the server either refuses the flag (exit 2, a message on standard error) or starts, answers,
  /// and exits 0 at end of input. It never dies of a signal.
  @Suite("Reliability: numbers in every numeric flag")
  struct ReliabilityFlagNumbersTests {
    /// Flags with a numeric value, read from `--help` so a new flag is covered the day it is listed.
    static func numericFlags() throws -> [(flag: String, placeholder: String)] {
      let help = try ServerProcess(["--help"])
      waitUntilBlocking { help.outputEnded }
      var flags: [(String, String)] = []
      for line in String(decoding: help.stdoutBytes, as: UTF8.self).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard words.count >= 2, words[0].hasPrefix("--"),
          ["N", "MS", "SECONDS", "N/SECONDS", "BYTES"].contains(String(words[1]))
        else { continue }
        flags.append((String(words[0]), String(words[1])))
      }
      return flags
    }

    /// Integers at and just past 8, 16, 32, 53 and 64 bits, both signs, and numbers past any width.
    static let values: [String] = [
      "0", "-1", "255", "256", "65535", "65536", "2147483647", "2147483648", "4294967296", "9007199254740993",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
      "99999999999999999999999", "1e19", "1e308", "1e400", "-1e400", "inf", "nan", "0.0000001", "1.5", "0x10",
    ]

    static func arguments(_ flag: String, _ placeholder: String, _ value: String) -> [[String]] {
      placeholder == "N/SECONDS"
        ? [[flag, "\(value)/1"], [flag, "1/\(value)"]]
        : [[flag, value]]
    }

    @Test func neverATrap() async throws {
      // Spawning and waiting block: off the shared pool, which other suites need meanwhile.
      let flags = try await onOwnThread { try Self.numericFlags() }
      #expect(flags.count >= 10, "numeric flags not found in --help: \(flags)")
      #expect(flags.contains { $0.flag == "--timeout" } && flags.contains { $0.flag == "--rate-limit" })
      var runs: [[String]] = []
      for (flag, placeholder) in flags {
        for value in Self.values { runs += Self.arguments(flag, placeholder, value) }
      }
      // Two at a time: the machine has two cores and other suites run beside this one.
      var failures: [String] = []
      for start in stride(from: 0, to: runs.count, by: 2) {
        let batch = Array(runs[start..<min(start + 2, runs.count)])
        let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
          for arguments in batch { group.addTask { try await Self.run(arguments) } }
          return try await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
        }
        failures += outcomes
      }
      #expect(failures.isEmpty, "\(failures.count) of \(runs.count) runs failed: \(failures.prefix(10))")
    }

    /// One run: the live backend without credentials (no traffic: Radar calls are -32005) or, for
    /// the demo's own flag, the demo with a call cancelled at once. `nil` when all went well.
    static func run(_ flag: [String]) async throws -> String? {
      let demo = flag[0].hasPrefix("--demo")
      let server = try await onOwnThread { try ServerProcess((demo ? ["--demo"] : []) + flag, framing: .ndjson) }
      server.request(1, "server.stats")
      server.request(2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
      if demo { server.notify("$/cancelRequest", ["id": 2]) }
      // Both answers, or the process gone (a refused flag), before input ends: what end of input
      // does with requests still in flight is not what this test is about.
      await server.waitFor { _ in
        !server.isRunning || (server.responses(1).count == 1 && server.responses(2).count == 1)
      }
      server.closeInput()
      // Returns once the process has exited and both of its streams have been read to the end.
      let status = await server.waitForExit()
      guard status == nil || server.outputEnded else {
        return "\(flag): exited \(status!) but its output did not end within the test timeout"
      }
      switch status {
      case 0?:
        let answered = server.responses(1).count == 1 && server.responses(2).count == 1
        return answered ? nil : "\(flag): exit 0 without answering every request"
      case 2?:
        let stderr = server.stderrText
        return stderr.contains(flag[0]) ? nil : "\(flag): exit 2 without naming the flag: \(stderr.prefix(200))"
      default:
        return
          "\(flag): exit status \(status.map(String.init) ?? "none (killed after 60 s)") \(server.stderrText.prefix(300))"
      }
    }
  }
}
