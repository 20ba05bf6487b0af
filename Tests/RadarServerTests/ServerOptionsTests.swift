import Foundation
import JSONRPC
import Radar
import Testing

@testable import RadarServer

/// The command line: one table declares each flag; parsing, range checks and `--help` follow
/// from it. Defaults are the configuration types' own; both `--flag value` and `--flag=value`;
/// a clear usage error (exit 2) for anything else.
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
    #expect(options.connection.framing == .auto)
    #expect(options.connection.maxMessageBytes == 16 * 1024 * 1024)
    #expect(options.connection.maxInFlight == 1024)
    #expect(options.connection.drainTimeout == .seconds(30))
    #expect(options.client.cacheTTL == .seconds(60))
    #expect(options.client.maxConnections == 6)
    #expect(options.client.rateLimit == RateLimit(requests: 1200, per: .seconds(300)))
    #expect(options.client.retries == 3)
    #expect(options.timeout == .seconds(30))
    #expect(options.maxSubscriptions == 256)
    #expect(options.limits.maxSeries == 32)
    #expect(options.logLevel == .warn)
  }

  @Test func flagsTakeValuesBothWays() throws {
    let options = try parse(
      "--demo --framing=ndjson --cache-ttl 0 --rate-limit=10/1.5 --stdio --demo-latency 250 --log-level=DEBUG")
    #expect(options.backend == .demo)
    #expect(options.connection.framing == .ndjson)
    #expect(options.client.cacheTTL == .zero)
    #expect(options.client.rateLimit == RateLimit(requests: 10, per: .milliseconds(1500)))
    #expect(options.demoLatency == .milliseconds(250))
    #expect(options.logLevel == .debug)
    #expect(try parse("--backend demo").backend == .demo)
    #expect(try parse("--timeout 0.25").timeout == .milliseconds(250))
    #expect(try parse("--drain-timeout 2.5 --max-in-flight 8").connection.drainTimeout == .milliseconds(2500))
  }

  @Test(arguments: [
    ("--frobnicate", "unknown option --frobnicate"),
    ("--retries", "--retries needs a value"),
    ("--retries -1", "--retries must be an integer in 0…20, not \"-1\""),
    ("--retries 21", "--retries must be an integer in 0…20, not \"21\""),
    (
      "--max-in-flight 99999999999999999999",
      "--max-in-flight must be an integer in 1…100000, not \"99999999999999999999\""
    ),
    ("--timeout 0", "--timeout must be a number of seconds in 0.001…3600, not \"0\""),
    ("--drain-timeout 1e300", "--drain-timeout must be a number of seconds in 0…86400, not \"1e300\""),
    ("--cache-ttl nan", "--cache-ttl must be a number of seconds in 0…604800, not \"nan\""),
    ("--demo-latency -1", "--demo-latency must be a number of milliseconds in 0…3600000, not \"-1\""),
    (
      "--rate-limit 1200",
      "--rate-limit must be N/SECONDS with N in 1…1000000 and SECONDS in (0, 31536000], e.g. 1200/300, not \"1200\""
    ),
    ("--framing xml", "--framing must be one of auto, lsp, ndjson, not \"xml\""),
    ("--backend cloud", "--backend must be one of live, demo, not \"cloud\""),
    ("--demo=yes", "--demo takes no value"),
    ("stray", "unexpected argument stray"),
  ])
  func badArgumentsAreUsageErrors(arguments: String, message: String) {
    #expect(usageError(arguments) == message)
  }

  /// Every flag the parser knows is in `--help`, and every `--flag` that `--help` mentions parses.
  @Test func helpListsExactlyTheParsedFlags() throws {
    let tableNames = Set(ServerOptions.table.flatMap(\.names))
    let help = Usage.text
    let mentioned = Set(
      help.split(whereSeparator: { " ,.;()|=\n".contains($0) }).filter { $0.hasPrefix("-") && $0.count > 1 }
        .map { String($0) }.filter { $0 != "-32600" })
    #expect(mentioned == tableNames)
    for option in ServerOptions.table {
      #expect(help.contains("\n  " + option.names.sorted { $0.count < $1.count }.joined(separator: ", ")))
    }
  }

  /// The default `--help` shows for an option parses back to that very default, so the help
  /// cannot drift from the configuration types.
  @Test func theDefaultsShownInHelpParseBackToTheDefaults() throws {
    let defaults = ServerOptions()
    let help = Usage.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    // --base-url and --cache-dir show where the default comes from, not a value.
    for option in ServerOptions.table
    where option.valueName != nil && !["--base-url", "--cache-dir"].contains(option.name) {
      let shown = try #require(option.defaultText(defaults), "\(option.name)")
      var parsed = ServerOptions()
      try option.apply(&parsed, shown)
      #expect(option.defaultText(parsed) == shown, "\(option.name)")
      #expect(help.contains("default \(shown)"), "\(option.name)")
    }
  }

  /// The whole `--help` text, as a snapshot (Tests/RadarServerTests/Snapshots/help.txt). After an
  /// intended change, run this test with RADAR_RPC_UPDATE_SNAPSHOTS=1 and review the diff.
  @Test func helpSnapshot() throws {
    let file = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Snapshots/help.txt")
    let actual = Usage.text.replacing(RadarRPCVersion.current, with: "<version>") + "\n"
    if ProcessInfo.processInfo.environment["RADAR_RPC_UPDATE_SNAPSHOTS"] == "1" {
      try actual.write(to: file, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(actual == expected, "--help changed; see the test's doc comment to update the snapshot")
  }
}
