/// How much radar-rpc writes to standard error (`--log-level error|warn|info|debug`).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
  case error = 0
  case warn = 1
  case info = 2
  case debug = 3

  public init?(name: String) {
    switch name.lowercased() {
    case "error": self = .error
    case "warn", "warning": self = .warn
    case "info": self = .info
    case "debug", "trace": self = .debug
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .error: "error"
    case .warn: "warn"
    case .info: "info"
    case .debug: "debug"
    }
  }

  public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
