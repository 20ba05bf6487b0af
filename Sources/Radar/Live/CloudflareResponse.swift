import JSON

/// Turns one HTTP answer from Cloudflare into a ``RadarResult`` or a ``RadarError``: the only
/// place where statuses, Cloudflare's envelope and its error codes are interpreted.
enum CloudflareResponse {
  /// Cloudflare error codes that mean "your credentials are missing, malformed or rejected",
  /// whatever the HTTP status (the gateway answers 400 for several of them).
  static let authenticationCodes: Set<Int> = [
    6003,  // Invalid request headers (its error_chain names the header)
    6100, 6101, 6102, 6103, 6111,  // malformed X-Auth-Email / X-Auth-Key / Authorization
    9103,  // Unknown X-Auth-Key or X-Auth-Email
    9106,  // Missing X-Auth-Key, X-Auth-Email or Authorization headers
    9109,  // Unauthorized to access requested resource
    10000,  // Authentication error
    10001,  // Unable to authenticate request
  ]

  /// Maps an answer.
  /// - Parameters:
  ///   - status: the HTTP status (redirects are followed before this).
  ///   - headers: response headers, names lower-cased.
  ///   - body: the body as received.
  ///   - wantsCSV: the request asked for `format=CSV`.
  ///   - now: seconds since 1970, for a `Retry-After` HTTP date.
  static func map(status: Int, headers: [String: String], body: [UInt8], wantsCSV: Bool, now: Double)
    throws(RadarError) -> RadarResult
  {
    let retryAfter = RetryAfter.seconds(in: headers, now: now)
    switch status {
    case 200..<300:
      if wantsCSV, headers["content-type"]?.lowercased().hasPrefix("text/csv") == true || !looksLikeJSON(body) {
        guard let text = String(validating: body, as: UTF8.self) else {
          throw .unavailable(reason: "the CSV body is not UTF-8")
        }
        return .csv(text)
      }
      let envelope = try parseEnvelope(body, contentType: headers["content-type"])
      guard envelope.success else { throw failure(status: status, envelope.errors, retryAfter: retryAfter) }
      guard case .object(let result)? = envelope.object["result"] else {
        throw .unavailable(reason: "the upstream answer has no result object")
      }
      return RadarResult(value: .object(result), byteCount: body.count)
    case 429:
      throw .rateLimited(retryAfterSeconds: retryAfter)
    case 300..<400:
      throw .unavailable(reason: "HTTP \(status) redirect that could not be followed")
    default:
      let errors = (try? parseEnvelope(body, contentType: nil).errors) ?? []
      throw failure(status: status, errors, retryAfter: retryAfter)
    }
  }

  /// The error for an answer Cloudflare marked as failed (HTTP ≥ 400, or `success: false`).
  private static func failure(status: Int, _ errors: [ParsedError], retryAfter: Double?) -> RadarError {
    let messages = errors.map(\.message)
    if status == 401 || status == 403 || errors.contains(where: \.isAuthentication) {
      return .unauthorized(httpStatus: status, errors: messages)
    }
    if status == 429 { return .rateLimited(retryAfterSeconds: retryAfter) }
    return .upstream(httpStatus: status, errors: messages, retryAfterSeconds: retryAfter)
  }

  private struct Envelope {
    let object: JSONObject
    let success: Bool
    let errors: [ParsedError]
  }

  private struct ParsedError {
    let message: CloudflareMessage
    /// The code and the codes of its `error_chain`.
    let codes: [Int]
    var isAuthentication: Bool { codes.contains(where: authenticationCodes.contains) }
  }

  /// Cloudflare's v4 envelope: an object with a boolean `success` (and `errors`, `result`).
  private static func parseEnvelope(_ body: [UInt8], contentType: String?) throws(RadarError) -> Envelope {
    let value: JSONValue
    do {
      value = try JSONParser.parse(body)
    } catch {
      let kind = contentType.map { " (\($0.prefix(40)))" } ?? ""
      throw .unavailable(reason: body.isEmpty ? "the upstream body is empty" : "the upstream body is not JSON\(kind)")
    }
    guard case .object(let object) = value, case .bool(let success)? = object["success"] else {
      throw .unavailable(reason: "the upstream body is not Cloudflare's JSON envelope")
    }
    let errors = object["errors"]?.arrayValue?.compactMap(parseError) ?? []
    return Envelope(object: object, success: success, errors: errors)
  }

  private static func parseError(_ value: JSONValue) -> ParsedError? {
    guard case .object(let object) = value else { return nil }
    let code = object["code"]?.intValue
    let chain = object["error_chain"]?.arrayValue?.compactMap { $0["code"]?.intValue } ?? []
    let message = CloudflareMessage(code: code, message: object["message"]?.stringValue ?? "")
    return ParsedError(message: message, codes: (code.map { [$0] } ?? []) + chain)
  }

  /// A body is taken as JSON when its first non-blank byte opens an object.
  private static func looksLikeJSON(_ body: [UInt8]) -> Bool {
    body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
  }
}
