public import Diagnostics
public import JSONRPC
public import RadarProtocol

/// Every command-line flag of radar-rpc, parsed by hand (no dependencies).
///
/// Credentials are deliberately not flags: command lines are visible to every user of the
/// machine (`ps`), so tokens come from the environment or `initializationOptions` only.
public struct ServerOptions: Sendable, Equatable {
  public enum Backend: String, Sendable { case live, demo }

  public var showHelp = false
  public var showVersion = false
  public var logLevel: LogLevel = .warn
  public var framing: FramingMode = .auto
  public var maxMessageBytes = 16 * 1024 * 1024
  public var maxInFlight = 1024
  public var maxQueued = 4096
  public var drainTimeout: Double = 30
  public var backend: Backend = .live
  public var demoLatencyMilliseconds: Double = 0
  /// `--base-url`; `nil` means `CLOUDFLARE_BASE_URL` or Cloudflare's default.
  public var baseURL: String? = nil
  public var cacheTTL: Double = 60
  public var maxConnections = 6
  public var rateLimitRequests = 1200
  public var rateLimitSeconds: Double = 300
  public var retries = 3
  public var timeout: Double = 30
  public var maxSubscriptions = 256
  /// `--max-series`: series one Radar call may ask for (contract §5).
  public var maxSeries = RequestLimits.defaultMaxSeries

  public init() {}

  /// A flag problem: printed with the usage on standard error, exit code 2.
  public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
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
      func value() throws(UsageError) -> String {
        if let inlineValue { return inlineValue }
        guard let next = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
        return next
      }
      func flagOnly() throws(UsageError) {
        if inlineValue != nil { throw UsageError(message: "\(name) takes no value") }
      }
      switch name {
      case "-h", "--help":
        try flagOnly()
        options.showHelp = true
      case "--version":
        try flagOnly()
        options.showVersion = true
      case "--stdio":
        try flagOnly()  // editor clients pass it; stdio is the only transport
      case "--demo":
        try flagOnly()
        options.backend = .demo
      case "--backend":
        let v = try value()
        guard let backend = Backend(rawValue: v) else { throw UsageError(message: "--backend must be live or demo") }
        options.backend = backend
      case "--log-level":
        let v = try value()
        guard let level = LogLevel(name: v) else {
          throw UsageError(message: "--log-level must be one of error, warn, info, debug")
        }
        options.logLevel = level
      case "--framing":
        let v = try value()
        guard let mode = FramingMode(rawValue: v) else {
          throw UsageError(message: "--framing must be one of auto, lsp, ndjson")
        }
        options.framing = mode
      case "--max-message-bytes": options.maxMessageBytes = try integer(name, try value(), minimum: 64)
      case "--max-in-flight": options.maxInFlight = try integer(name, try value(), minimum: 1)
      case "--max-queued": options.maxQueued = try integer(name, try value(), minimum: 0)
      case "--drain-timeout": options.drainTimeout = try seconds(name, try value(), minimum: 0)
      case "--demo-latency": options.demoLatencyMilliseconds = try seconds(name, try value(), minimum: 0)
      case "--base-url": options.baseURL = try value()
      case "--cache-ttl": options.cacheTTL = try seconds(name, try value(), minimum: 0)
      case "--max-connections": options.maxConnections = try integer(name, try value(), minimum: 1)
      case "--rate-limit":
        let v = try value()
        let parts = v.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), n >= 1, let s = Double(parts[1]), s > 0, s.isFinite else {
          throw UsageError(message: "--rate-limit must be N/SECONDS, e.g. 1200/300")
        }
        options.rateLimitRequests = n
        options.rateLimitSeconds = s
      case "--retries": options.retries = try integer(name, try value(), minimum: 0)
      case "--timeout": options.timeout = try seconds(name, try value(), minimum: 0.001)
      case "--max-subscriptions": options.maxSubscriptions = try integer(name, try value(), minimum: 0)
      case "--max-series":
        let v = try value()
        guard let n = Int(v), (1...10_000).contains(n) else {
          throw UsageError(message: "--max-series must be an integer from 1 to 10000, not \"\(v)\"")
        }
        options.maxSeries = n
      default:
        if name.hasPrefix("-") {
          throw UsageError(message: "unknown option \(name)")
        }
        throw UsageError(message: "unexpected argument \(name)")
      }
    }
    return options
  }

  private static func integer(_ name: String, _ text: String, minimum: Int) throws(UsageError) -> Int {
    guard let n = Int(text), n >= minimum else {
      throw UsageError(message: "\(name) must be an integer ≥ \(minimum), not \"\(text)\"")
    }
    return n
  }

  private static func seconds(_ name: String, _ text: String, minimum: Double) throws(UsageError) -> Double {
    guard let n = Double(text), n.isFinite, n >= minimum else {
      throw UsageError(message: "\(name) must be a number ≥ \(minimum), not \"\(text)\"")
    }
    return n
  }

  var connectionConfiguration: ConnectionConfiguration {
    var c = ConnectionConfiguration()
    c.framing = framing
    c.maxMessageBytes = maxMessageBytes
    c.maxInFlight = maxInFlight
    c.maxQueued = maxQueued
    c.drainTimeout = .milliseconds(Int64(drainTimeout * 1000))
    return c
  }
}
