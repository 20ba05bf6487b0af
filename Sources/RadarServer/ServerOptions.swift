public import Diagnostics
public import JSONRPC
public import Radar
public import RadarProtocol

/// Every command-line flag of radar-rpc: the values (defaults are the configuration types' own)
/// and ``table``, the one declaration of each flag, from which ``parse(_:)`` and `--help` are
/// derived. Adding a flag is adding an entry to the table and the value it sets (usually a field
/// of the consumer's configuration type, which then has its default), and a line in the docs.
///
/// Credentials are deliberately not flags: command lines are visible to every user of the
/// machine (`ps`), so tokens come from the environment or `initializationOptions` only.
public struct ServerOptions: Sendable {
  public enum Backend: String, Sendable, CaseIterable { case live, demo }

  public var showHelp = false
  public var showVersion = false
  public var logLevel: LogLevel = .warn
  public var backend: Backend = .live
  /// `--base-url`; `nil` means `CLOUDFLARE_BASE_URL` or Cloudflare's default.
  public var baseURL: String? = nil
  /// The demo backend's simulated latency per call.
  public var demoLatency: Duration = .zero
  /// The live backend's per-attempt timeout.
  public var timeout: Duration = LiveBackend.defaultTimeout
  public var maxSubscriptions = SubscriptionHub.defaultMaxSubscriptions
  /// The transport's limits (`--framing`, `--max-message-bytes`, …).
  public var connection = ConnectionConfiguration()
  /// The Radar client's knobs (`--cache-ttl`, `--cache-max-bytes`, `--rate-limit`, …).
  public var client = RadarClientConfiguration()
  /// `--cache-dir`; `nil` means `$XDG_CACHE_HOME/radar-rpc`, else `~/.cache/radar-rpc`.
  public var cacheDirectory: String? = nil
  /// `--no-shared-cache`: this process shares no cache, no call and no rate budget with others.
  public var noSharedCache = false
  /// `--cache-clear`: empty the shared cache and exit.
  public var clearCache = false
  /// What one Radar call may ask for (`--max-series`).
  public var limits = RequestLimits()

  public init() {}

  /// Every flag, in `--help` order within its section.
  static let table: [CommandLineOption] = [
    .flag("--demo", section: .backend, help: "Answer from the embedded synthetic Radar (no token, no network)") {
      $0.backend = .demo
    },
    .choice("--backend", \.backend, section: .backend, help: "live talks to the Cloudflare API; demo is --demo"),
    .duration(
      "--demo-latency", \.demoLatency, in: 0...3_600_000, unit: .milliseconds, section: .backend,
      help: "Simulated upstream latency of the demo backend, per call"),
    .value(
      "--base-url", \.baseURL, valueName: "URL", parse: { $0 },
      format: { _ in "$CLOUDFLARE_BASE_URL or \(BaseURL.cloudflare)" },
      expected: "a URL", section: .backend,
      help: "Cloudflare API base URL. Plain http:// is refused unless the host is a loopback address"),

    .integer(
      "--max-connections", \.client.maxConnections, in: 1...256, section: .upstream,
      help: "Upstream HTTP requests at once"),
    .value(
      "--rate-limit", \.client.rateLimit, valueName: "N/SECONDS", parse: { RateLimit(parsing: $0) },
      format: { "\($0)" },
      expected: "N/SECONDS with N in 1…1000000 and SECONDS in (0, 31536000], e.g. 1200/300",
      section: .upstream,
      help: "Client-side rate limit: at most N requests in any SECONDS; Cloudflare's documented limit is 1200/300"),
    .integer(
      "--retries", \.client.retries, in: 0...20, section: .upstream,
      help: "Retries for 408, 429, 5xx and network errors"),
    .duration("--timeout", \.timeout, in: 0.001...3600, section: .upstream, help: "Per-attempt timeout"),
    .integer(
      "--max-subscriptions", \.maxSubscriptions, in: 0...100_000, section: .upstream,
      help: "Live subscriptions per server"),
    .integer(
      "--max-series", \.limits.maxSeries, in: 1...10_000, section: .upstream,
      help: "Series one Radar call may ask for; a request for more is refused as invalid params"),

    .duration(
      "--cache-ttl", \.client.cacheTTL, in: 0...604_800, section: .cache,
      help: "How long a result stays fresh, in memory and in the shared cache; 0 disables both"),
    .integer(
      "--cache-max-bytes", \.client.cacheMaxBytes, in: 0...(1 << 40), section: .cache,
      help: "The most bytes of results each cache holds (this process's memory; the shared cache on disk, "
        + "oldest out first); 0 disables both"),
    .value(
      "--cache-dir", \.cacheDirectory, valueName: "DIR", parse: { $0.isEmpty ? nil : $0 },
      format: { $0 ?? CacheDirectory.standardDescription }, expected: "a directory path", section: .cache,
      help: "Where the live backend's processes share results and the rate budget; made private to the user "
        + "(mode 0700)"),
    .flag(
      "--no-shared-cache", \.noSharedCache, section: .cache,
      help: "Share nothing with other processes: no results on disk, no calls, no rate budget"),
    .flag("--cache-clear", section: .cache, help: "Empty the shared cache (the rate budgets stay) and exit") {
      $0.clearCache = true
    },

    .choice(
      "--framing", \.connection.framing, section: .transport,
      help: "auto: the first byte of input decides; output follows input"),
    .integer(
      "--max-message-bytes", \.connection.maxMessageBytes, in: 64...(1 << 30), section: .transport,
      help: "Larger messages are skipped and answered -32600"),
    .integer(
      "--max-in-flight", \.connection.maxInFlight, in: 1...100_000, section: .transport,
      help: "Requests handled at once; then a queue, then backpressure"),
    .integer(
      "--max-queued", \.connection.maxQueued, in: 0...1_000_000, section: .transport,
      help: "Requests waiting for a slot before input is no longer read"),
    .duration(
      "--drain-timeout", \.connection.drainTimeout, in: 0...86_400, section: .transport,
      help: "At end of input, time allowed for requests in flight"),
    .duration(
      "--shutdown-grace", \.connection.shutdownGrace, in: 0...86_400, section: .transport,
      help: "After shutdown, time allowed for requests in flight"),
    .flag("--stdio", section: .transport, help: "Accepted and ignored (editor clients pass it)") { _ in },

    .choice(
      "--log-level", \.logLevel, LogLevel.allCases.map { ($0.description, $0) }, parse: { LogLevel(name: $0) },
      section: .other, help: "How much to log, to standard error"),
    .flag("--version", section: .other, help: "Print the version and exit") { $0.showVersion = true },
    .flag("-h", "--help", section: .other, help: "Print this help and exit") { $0.showHelp = true },
  ]

  /// A flag problem: printed on standard error, exit code 2.
  public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
  }

  /// Parses `arguments` (without the program name). Accepts `--flag value` and `--flag=value`.
  public static func parse(_ arguments: [String]) throws(UsageError) -> ServerOptions {
    var options = ServerOptions()
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      var name = argument
      var inlineValue: String? = nil
      if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
        name = String(argument[..<eq])
        inlineValue = String(argument[argument.index(after: eq)...])
      }
      guard let option = table.first(where: { $0.names.contains(name) }) else {
        throw UsageError(name.hasPrefix("-") ? "unknown option \(name)" : "unexpected argument \(name)")
      }
      var value: String? = nil
      if option.valueName == nil {
        if inlineValue != nil { throw UsageError("\(name) takes no value") }
      } else {
        guard let given = inlineValue ?? rest.popFirst() else { throw UsageError("\(name) needs a value") }
        value = given
      }
      try option.apply(&options, value)
    }
    return options
  }
}
