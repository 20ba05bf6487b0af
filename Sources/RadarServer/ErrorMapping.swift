import JSON
import JSONRPC
import Radar
import RadarProtocol

/// The one place where errors of the Radar and protocol layers become JSON-RPC errors,
/// with the codes and `data` of the wire contract (§3).
extension ResponseError {
  /// Radar-specific codes of the contract.
  static let upstreamError = ErrorCode(rawValue: -32001)
  static let rateLimited = ErrorCode(rawValue: -32003)
  static let upstreamUnavailable = ErrorCode(rawValue: -32004)
  static let unauthorized = ErrorCode(rawValue: -32005)

  static let credentialsHelp =
    "set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) in the server's environment, "
    + "pass initializationOptions.apiToken in initialize, or run radar-rpc with --demo"

  init(_ error: RadarError) {
    switch error {
    case .upstream(let status, let errors, _):
      let detail = errors.first.map { ": \($0.summary)" } ?? ""
      self.init(
        Self.upstreamError, "Cloudflare answered HTTP \(status)\(detail)",
        data: ["httpStatus": .number(JSONNumber(status)), "errors": Self.json(errors)])
    case .rateLimited(let retryAfter):
      var data: JSONObject = ["httpStatus": 429]
      var message = "Rate limited by Cloudflare (HTTP 429) and retries did not get through"
      if let retryAfter {
        let retryAfter = retryAfter.isFinite ? min(max(retryAfter, 0), 86_400) : 86_400  // contract §7
        data["retryAfterSeconds"] = .number(JSONNumber(retryAfter))
        message += "; retry after \(RadarProgress.format(retryAfter))"
      }
      self.init(Self.rateLimited, message, data: .object(data))
    case .unavailable(let reason):
      self.init(Self.upstreamUnavailable, "Cloudflare API unavailable: \(reason)", data: ["reason": .string(reason)])
    case .unauthorized(nil, _):
      self.init(
        Self.unauthorized, "No Cloudflare credentials: \(Self.credentialsHelp)",
        data: ["reason": "missing credentials"])
    case .unusableCredentials(let reason):
      self.init(
        Self.unauthorized, "Cloudflare credentials not usable: \(reason); \(Self.credentialsHelp)",
        data: ["reason": .string(reason)])
    case .answerTooLarge(let estimate, let limit):
      let message =
        "the answer would be about \(estimate) bytes, more than --max-message-bytes (\(limit)); "
        + "ask for fewer series, a shorter date range or a coarser aggInterval"
      self.init(InvalidParams(violations: [Violation(path: "", message: message, suggestion: nil)]))
    case .unauthorized(let status?, let errors):
      let detail = errors.first.map { ": \($0.summary)" } ?? ""
      self.init(
        Self.unauthorized,
        "Cloudflare rejected the credentials (HTTP \(status)\(detail)); check the token's Radar read permission",
        data: ["httpStatus": .number(JSONNumber(status)), "errors": Self.json(errors)])
    }
  }

  init(_ invalid: InvalidParams) {
    let errors = invalid.violations.map(\.json)
    let first = invalid.violations.first.map { ": \($0.path.isEmpty ? "params" : $0.path) \($0.message)" } ?? ""
    let more = invalid.violations.count > 1 ? " (and \(invalid.violations.count - 1) more)" : ""
    self.init(.invalidParams, "Invalid params\(first)\(more)", data: ["errors": .array(errors)])
  }

  /// Cloudflare's error objects whole, every member as it arrived (contract §3).
  private static func json(_ errors: [CloudflareMessage]) -> JSONValue {
    .array(errors.map(\.value))
  }
}
