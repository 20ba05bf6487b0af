/// A JSON-RPC error code. A struct rather than an enum so new codes can be added without
/// breaking anyone who switches over them.
public struct ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// Not JSON.
  public static let parseError = ErrorCode(rawValue: -32700)
  /// Not a valid request object, a frame too large, or a request after `shutdown`.
  public static let invalidRequest = ErrorCode(rawValue: -32600)
  public static let methodNotFound = ErrorCode(rawValue: -32601)
  public static let invalidParams = ErrorCode(rawValue: -32602)
  /// A bug in the server.
  public static let internalError = ErrorCode(rawValue: -32603)
  /// Cancelled by the client's `$/cancelRequest` (LSP).
  public static let requestCancelled = ErrorCode(rawValue: -32800)
  /// Cancelled by the server itself, e.g. when the drain deadline at end of input passes (LSP).
  public static let serverCancelled = ErrorCode(rawValue: -32802)

  public var description: String { String(rawValue) }
}
