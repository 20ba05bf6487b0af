import JSONRPC
import Testing

@testable import RadarServer

/// The command line: defaults from the contract, both `--flag value` and `--flag=value`, and a
/// clear usage error (exit 2) for anything else.
@Suite struct ServerOptionsTests {
  private func parse(_ arguments: String) throws(ServerOptions.UsageError) -> ServerOptions {
    try ServerOptions.parse(arguments.split(separator: " ").map(String.init))
  }

  private func usageError(_ arguments: String) -> String? {
    do {
      _ = try parse(arguments)
      return nil
    } catch {
      return error.message
    }
  }

  @Test func defaultsAreTheContracts() throws {
    let options = try parse("")
    #expect(options.backend == .live)
    #expect(options.framing == .auto)
    #expect(options.maxMessageBytes == 16 * 1024 * 1024)
    #expect(options.maxInFlight == 1024)
    #expect(options.drainTimeout == 30)
    #expect(options.cacheTTL == 60)
    #expect(options.maxConnections == 6)
    #expect(options.rateLimitRequests == 1200 && options.rateLimitSeconds == 300)
    #expect(options.retries == 3)
    #expect(options.timeout == 30)
    #expect(options.maxSubscriptions == 256)
    #expect(options.maxSeries == 32)
  }

  @Test func flagsTakeValuesBothWays() throws {
    let options = try parse("--demo --framing=ndjson --cache-ttl 0 --rate-limit=10/1 --stdio --demo-latency 250")
    #expect(options.backend == .demo)
    #expect(options.framing == .ndjson)
    #expect(options.cacheTTL == 0)
    #expect(options.rateLimitRequests == 10 && options.rateLimitSeconds == 1)
    #expect(options.demoLatencyMilliseconds == 250)
    #expect(try parse("--backend demo").backend == .demo)
    #expect(try parse("--max-series 500").maxSeries == 500)
  }

  @Test(arguments: [
    ("--frobnicate", "unknown option --frobnicate"),
    ("--retries", "--retries needs a value"),
    ("--retries -1", "--retries must be an integer ≥ 0, not \"-1\""),
    ("--timeout 0", "--timeout must be a number ≥ 0.001, not \"0\""),
    ("--rate-limit 1200", "--rate-limit must be N/SECONDS, e.g. 1200/300"),
    ("--framing xml", "--framing must be one of auto, lsp, ndjson"),
    ("--backend cloud", "--backend must be live or demo"),
    ("--demo=yes", "--demo takes no value"),
    ("stray", "unexpected argument stray"),
    ("--max-series 0", "--max-series must be an integer from 1 to 10000, not \"0\""),
    (
      "--max-series 9223372036854775808", "--max-series must be an integer from 1 to 10000, not \"9223372036854775808\""
    ),
  ])
  func badArgumentsAreUsageErrors(arguments: String, message: String) {
    #expect(usageError(arguments) == message)
  }

  @Test func drainTimeoutReachesTheConnection() throws {
    let configuration = try parse("--drain-timeout 2.5 --max-in-flight 8 --framing lsp").connectionConfiguration
    #expect(configuration.drainTimeout == .milliseconds(2500))
    #expect(configuration.maxInFlight == 8)
    #expect(configuration.framing == .lsp)
  }
}
