import SystemSupport

/// A logger that writes one line per message to standard error, never to standard output
/// (which carries protocol frames only). Control characters in a message are written as
/// escapes (``LogEscaping``), so a message is always exactly one line.
///
/// Every line passes through a redactor: secrets registered with ``registerSecret(_:)``
/// (the API token, the API key) are replaced by `[REDACTED]` before anything is written, so
/// a credential cannot leak through a log line even when a message includes a header dump
/// at `debug` level.
public final class Logger: Sendable {
  /// The process-wide logger, configured by `main`.
  public static let shared = Logger()

  private struct State {
    var level: LogLevel = .warn
    var secrets: [String] = []
    var sink: (@Sendable (String) -> Void)? = nil
  }

  private let state = Locked(State())

  public init(level: LogLevel = .warn) {
    state.withLock { $0.level = level }
  }

  public var level: LogLevel {
    get { state.withLock { $0.level } }
    set { state.withLock { $0.level = newValue } }
  }

  /// Lines go to `sink` instead of standard error (for tests).
  public func redirect(to sink: (@Sendable (String) -> Void)?) {
    state.withLock { $0.sink = sink }
  }

  /// Adds a secret that must never appear in output.
  public func registerSecret(_ secret: String) {
    guard secret.count >= 4 else { return }
    state.withLock { if !$0.secrets.contains(secret) { $0.secrets.append(secret) } }
  }

  /// `text` with every registered secret replaced by `[REDACTED]`.
  public func redact(_ text: String) -> String {
    let secrets = state.withLock { $0.secrets }
    var out = text
    for secret in secrets where out.contains(secret) {
      out = out.replacing(secret, with: "[REDACTED]")
    }
    return out
  }

  public func isEnabled(_ level: LogLevel) -> Bool { level <= self.level }

  public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
    guard isEnabled(level) else { return }
    // One event, one line: text from outside cannot forge a line break (contract §7).
    let line = "radar-rpc \(level): \(LogEscaping.escaped(redact(message())))\n"
    if let sink = state.withLock({ $0.sink }) {
      sink(line)
      return
    }
    writeAll(line, to: 2)
  }

  public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
  public func warn(_ message: @autoclosure () -> String) { log(.warn, message()) }
  public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
  public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
}
