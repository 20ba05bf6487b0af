/// One entry of Cloudflare's `errors` array: `{"code": 2001, "message": "…"}`.
public struct CloudflareMessage: Sendable, Hashable {
  public let code: Int?
  public let message: String

  public init(code: Int?, message: String) {
    self.code = code
    self.message = message
  }
}

/// Why a Radar request failed, in the terms of the wire contract.
///
/// Backends and the client actor speak only these cases; the server maps each to its
/// JSON-RPC code in one place (-32001, -32003, -32004, -32005). Messages never carry
/// credentials.
public enum RadarError: Error, Sendable, Hashable {
  /// Cloudflare answered with an error: HTTP ≥ 400 other than 401/403/429, or `success: false`.
  /// `retryAfterSeconds` is what a `Retry-After` header asked for (used by retries, not shown).
  case upstream(httpStatus: Int, errors: [CloudflareMessage], retryAfterSeconds: Double? = nil)
  /// HTTP 429 and retries did not get through.
  case rateLimited(retryAfterSeconds: Double?)
  /// Unreachable, timed out, or a body that is not the documented JSON.
  case unavailable(reason: String)
  /// No credentials (`httpStatus == nil`), or Cloudflare rejected them (401/403, or a 400 with an
  /// authentication error code such as 6003, 9106, 10000).
  case unauthorized(httpStatus: Int?, errors: [CloudflareMessage])
}
