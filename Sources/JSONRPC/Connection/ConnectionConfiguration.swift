/// The limits of one connection (`--framing`, `--max-message-bytes`, `--max-in-flight`, …).
public struct ConnectionConfiguration: Sendable {
  public var framing: FramingMode = .auto
  /// Larger frames are skipped without being buffered and answered -32600.
  public var maxMessageBytes = 16 * 1024 * 1024
  /// Requests handled at once.
  public var maxInFlight = 1024
  /// Requests waiting for a slot before the server stops reading input.
  public var maxQueued = 4096
  /// Output waiting to be read by the client before producers wait.
  public var maxOutputBytes = 32 * 1024 * 1024
  /// At end of input, how long requests in flight may take to finish.
  public var drainTimeout: Duration = .seconds(30)
  /// After `shutdown`, how long requests in flight may take to finish before they are answered
  /// -32802 and `shutdown` is answered (contract §4, `--shutdown-grace`).
  public var shutdownGrace: Duration = .seconds(2)
  /// JSON nesting limit for incoming messages.
  public var maxDepth = 128

  public init() {}
}
