import JSON
import Testing

/// Flags, exit codes and what goes to which stream (contract §1).
@Suite struct CommandLineTests {
  /// Runs the binary with no input and waits for it to exit.
  static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
    status: Int32?, stdout: String, stderr: String
  ) {
    let server = try ServerProcess(arguments, environment: environment)
    server.closeInput()
    let status = await server.waitForExit()  // and both streams have ended
    return (status, String(decoding: server.stdoutBytes, as: UTF8.self), server.stderrText)
  }

  @Test func help() async throws {
    for flag in ["--help", "-h"] {
      let (status, stdout, _) = try await Self.run([flag])
      #expect(status == 0)
      #expect(stdout.contains("USAGE: radar-rpc"))
      #expect(stdout.contains("--demo"))
      #expect(stdout.contains("CLOUDFLARE_API_TOKEN"))
    }
  }

  @Test func version() async throws {
    let (status, stdout, _) = try await Self.run(["--version"])
    #expect(status == 0)
    #expect(stdout.hasPrefix("radar-rpc "))
    #expect(stdout.split(separator: "\n").count == 1)
  }

  /// `--stdio` (passed by editor clients) is accepted; end of input with nothing read exits 0.
  @Test func stdioIsAccepted() async throws {
    let (status, stdout, _) = try await Self.run(["--stdio", "--demo"])
    #expect(status == 0)
    #expect(stdout.isEmpty)
  }

  @Test(arguments: [
    (["--frobnicate"], "--frobnicate"),
    (["--framing", "xml"], "--framing"),
    (["--max-in-flight", "0"], "--max-in-flight"),
    (["--drain-timeout", "1e300"], "--drain-timeout"),
    (["--rate-limit", "fast"], "--rate-limit"),
    (["--timeout"], "--timeout"),
    (["--demo=yes"], "--demo"),
    (["extra"], "extra"),
  ])
  func usageErrorsExitTwo(_ arguments: [String], _ mentioned: String) async throws {
    let (status, stdout, stderr) = try await Self.run(arguments)
    #expect(status == 2)
    #expect(stdout.isEmpty)
    #expect(stderr.contains(mentioned))
  }

  /// Plain http to a host that is not loopback is refused before any traffic, from the flag or the environment.
  @Test func plainHTTPToAnotherHostIsRefused() async throws {
    let token = "refused-token-0123456789"
    let byFlag = try await Self.run(["--base-url", "http://example.com"], environment: ["CLOUDFLARE_API_TOKEN": token])
    #expect(byFlag.status == 2)
    #expect(!byFlag.stderr.isEmpty)
    #expect(!byFlag.stderr.contains(token))
    let byEnvironment = try await Self.run([], environment: ["CLOUDFLARE_BASE_URL": "http://10.1.2.3/client/v4"])
    #expect(byEnvironment.status == 2)
    for loopback in ["http://127.0.0.1:9/client/v4", "http://localhost:9/client/v4", "http://[::1]:9/client/v4"] {
      #expect(try await Self.run(["--base-url", loopback]).status == 0, "\(loopback)")
    }
  }

  /// Contract §7: a port is a number from outside like any other. One that no integer or no TCP
  /// port holds is refused at start-up (exit 2), from the flag or the environment, instead of
  /// being read as no port at all.
  @Test func aBaseURLPortOutOfRangeIsRefused() async throws {
    for port in ["0", "65536", "4294967296", "18446744073709551616", "99999999999999999999999"] {
      let byFlag = try await Self.run(["--base-url", "http://127.0.0.1:\(port)/client/v4"])
      #expect(byFlag.status == 2, "\(port)")
      #expect(byFlag.stderr.contains("port"), "\(port): \(byFlag.stderr)")
      let byEnvironment = try await Self.run([], environment: ["CLOUDFLARE_BASE_URL": "https://[::1]:\(port)"])
      #expect(byEnvironment.status == 2, "\(port)")
    }
    #expect(try await Self.run(["--base-url", "http://127.0.0.1:65535/client/v4"]).status == 0)
  }

  /// Debug logging goes to stderr; stdout holds frames and nothing else.
  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func stdoutCarriesOnlyFrames(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess(["--demo", "--log-level", "debug"], framing: framing)
    server.request(1, "initialize", [:])
    server.notify("initialized")
    server.notify("unknown/notification")
    server.request(2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d", "workDoneToken": "w"])
    server.request(3, "radar.ct.timeseriesGroups", ["dimension": "nope"])
    server.sendRaw(framing == .lsp ? "Content-Length: 3\r\n\r\n{x}" : "{x}\n")
    server.request(4, "shutdown")
    server.notify("exit")
    #expect(await server.waitForExit() == 0)
    #expect(server.parseFailures.isEmpty)
    // Every byte belongs to a frame.
    var rest = server.stdoutBytes[...]
    var frames = 0
    while let (_, used) = ServerProcess.nextFrame(rest, framing: framing) {
      rest = rest.dropFirst(used)
      frames += 1
    }
    #expect(rest.isEmpty)
    #expect(frames == server.messages.count)
    #expect(server.stderrText.contains("debug") || !server.stderrText.isEmpty)
  }
}
