import JSON
public import JSONRPC
public import Radar
public import RadarProtocol

// Where every error of the server becomes a JSON-RPC error: the codes radar-rpc adds to
// JSON-RPC's own (contract §3) and, for each error type the server throws, its code, message
// and `data`. A handler throws the typed error; the connection answers with its
// `responseError` (``ResponseErrorConvertible``). No other file of the server builds a
// ``ResponseError``, so a new code or a new error type is added here (and in
// protocol/openrpc.json `components/errors`).

extension ErrorCode {
  /// Cloudflare answered with an error (HTTP ≥ 400 other than 401/403/429, or `success: false`).
  static let upstreamError = ErrorCode(rawValue: -32001)
  /// HTTP 429 and retries did not get through.
  static let rateLimited = ErrorCode(rawValue: -32003)
  /// Upstream unreachable, timed out, or a body that is not the documented JSON.
  static let upstreamUnavailable = ErrorCode(rawValue: -32004)
  /// No credentials, or Cloudflare rejected them.
  static let unauthorized = ErrorCode(rawValue: -32005)
  /// More live subscriptions than `--max-subscriptions`.
  static let subscriptionLimit = ErrorCode(rawValue: -32006)
}

/// A method name the server does not serve, with the known names close to it. -32601 with
/// `data: {"method", "didYouMean"?}` (contract §3).
struct MethodNotFound: Error, Sendable, Equatable {
  let method: String
  let didYouMean: [String]
}

extension MethodNotFound: ResponseErrorConvertible {
  var responseError: ResponseError { .methodNotFound(method, didYouMean: didYouMean) }
}

/// -32602 with `data.errors`: every violation, JSON Pointer paths, a suggestion where one is close.
/// The only shape of -32602 the server sends.
extension InvalidParams: ResponseErrorConvertible {
  public var responseError: ResponseError {
    let first = violations.first.map { ": \($0.path.isEmpty ? $0.message : "\($0.path) \($0.message)")" } ?? ""
    let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
    return ResponseError(.invalidParams, "Invalid params\(first)\(more)", data: data)
  }
}

/// -32006 `data: {"limit"}`; a subscribe in flight when subscriptions end (shutdown) is -32802.
extension SubscriptionHub.Refusal: ResponseErrorConvertible {
  public var responseError: ResponseError {
    switch self {
    case .limitReached(let limit):
      ResponseError(
        .subscriptionLimit, "Too many subscriptions: the limit is \(limit) (--max-subscriptions)",
        data: ["limit": .number(JSONNumber(limit))])
    case .stopped:
      ResponseError(.serverCancelled, "Request cancelled by the server: subscriptions have ended (shutdown)")
    }
  }
}

/// -32001, -32003, -32004 and -32005, with the `data` of contract §3; -32602 for a demo answer
/// too large to send (§7).
extension RadarError: ResponseErrorConvertible {
  static let credentialsHelp =
    "set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) in the server's environment, "
    + "pass initializationOptions.apiToken in initialize, or run radar-rpc with --demo"

  public var responseError: ResponseError {
    switch self {
    case .upstream(let status, let errors, _, let imitated):
      let detail = errors.first.map { ": \($0.summary)" } ?? ""
      // With --demo nothing was sent: the demo answered, as Cloudflare would have.
      let who = imitated ? "The demo backend answered as Cloudflare would, with" : "Cloudflare answered"
      return ResponseError(
        .upstreamError, "\(who) HTTP \(status)\(detail)",
        data: ["httpStatus": .number(JSONNumber(status)), "errors": Self.json(errors)])
    case .rateLimited(let retryAfter):
      var data: JSONObject = ["httpStatus": 429]
      var message = "Rate limited by Cloudflare (HTTP 429) and retries did not get through"
      if let retryAfter {
        let retryAfter = retryAfter.isFinite ? min(max(retryAfter, 0), 86_400) : 86_400  // contract §7
        data["retryAfterSeconds"] = .number(JSONNumber(retryAfter))
        message += "; retry after \(RadarProgress.format(retryAfter))"
      }
      return ResponseError(.rateLimited, message, data: .object(data))
    case .heldBack(let retryAfter, let byAnother429):
      // Nothing was sent: say why, without claiming a 429 from Cloudflare (the data keep -32003's shape).
      let retryAfter = retryAfter.isFinite ? min(max(retryAfter, 0), 86_400) : 86_400  // contract §7
      let why =
        byAnother429
        ? "held back by a 429 another radar-rpc process with these credentials got from Cloudflare"
        : "the --rate-limit window shared by the radar-rpc processes with these credentials is full"
      return ResponseError(
        .rateLimited, "Not sent: \(why); retry after \(RadarProgress.format(retryAfter))",
        data: ["httpStatus": 429, "retryAfterSeconds": .number(JSONNumber(retryAfter))])
    case .unavailable(let reason):
      return ResponseError(
        .upstreamUnavailable, "Cloudflare API unavailable: \(reason)", data: ["reason": .string(reason)])
    case .unauthorized(nil, _):
      return ResponseError(
        .unauthorized, "No Cloudflare credentials: \(Self.credentialsHelp)", data: ["reason": "missing credentials"])
    case .unusableCredentials(let reason):
      return ResponseError(
        .unauthorized, "Cloudflare credentials not usable: \(reason); \(Self.credentialsHelp)",
        data: ["reason": .string(reason)])
    case .answerTooLarge(let estimate, let limit):
      let message =
        "the answer would be at least \(estimate) bytes, more than --max-message-bytes (\(limit)); "
        + "ask for fewer series, a shorter date range or a coarser aggInterval"
      return InvalidParams(violations: [Violation(path: "", message: message)]).responseError
    case .unauthorized(let status?, let errors):
      let detail = errors.first.map { ": \($0.summary)" } ?? ""
      return ResponseError(
        .unauthorized,
        "Cloudflare rejected the credentials (HTTP \(status)\(detail)); check the token's Radar read permission",
        data: ["httpStatus": .number(JSONNumber(status)), "errors": Self.json(errors)])
    }
  }

  /// Cloudflare's error objects whole, every member as it arrived (contract §3).
  private static func json(_ errors: [CloudflareMessage]) -> JSONValue {
    .array(errors.map(\.value))
  }
}
