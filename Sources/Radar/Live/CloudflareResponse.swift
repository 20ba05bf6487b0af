import JSON

/// Turns one HTTP answer from Cloudflare into a ``RadarResult`` or a ``RadarError``: the only
/// place where statuses, Cloudflare's envelope and its error codes are interpreted.
///
/// Everything in the answer is untrusted: credential values are redacted from header values and
/// from the body before anything else looks at them (contract §1), `Retry-After` is read only on
/// 429 and 503 and clamped (§7), and Cloudflare's error objects are kept whole (§3).
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
  ///   - headers: response headers, names lower-cased, as received.
  ///   - body: the body as received.
  ///   - wantsCSV: the request asked for `format=CSV`.
  ///   - now: seconds since 1970, for a `Retry-After` HTTP date.
  ///   - redactor: the credential values to remove from everything upstream sent.
  static func map(
    status: Int, headers rawHeaders: [String: String], body rawBody: [UInt8], wantsCSV: Bool, now: Double,
    redactor: CredentialRedactor
  ) throws(RadarError) -> RadarResult {
    let headers = redactor.redact(headers: rawHeaders)
    let retryAfter = RetryAfter.seconds(status: status, headers: headers, now: now)
    switch status {
    case 200..<300:
      if wantsCSV, headers["content-type"]?.lowercased().hasPrefix("text/csv") == true || !looksLikeJSON(rawBody) {
        guard let text = String(validating: redactor.redact(rawBody), as: UTF8.self) else {
          throw .unavailable(reason: "the CSV body is not UTF-8")
        }
        return .csv(text)
      }
      let envelope = try parseEnvelope(rawBody, contentType: headers["content-type"], redactor: redactor)
      guard envelope.success else { throw failure(status: status, envelope.errors, retryAfter: retryAfter) }
      guard case .object(let result)? = envelope.object["result"] else {
        throw .unavailable(reason: "the upstream answer has no result object")
      }
      return RadarResult(value: .object(result), byteCount: rawBody.count)
    case 429:
      throw .rateLimited(retryAfterSeconds: retryAfter)
    case 300..<400:
      throw .unavailable(reason: "HTTP \(status) redirect that could not be followed")
    default:
      let errors = (try? parseEnvelope(rawBody, contentType: nil, redactor: redactor).errors) ?? []
      throw failure(status: status, errors, retryAfter: retryAfter)
    }
  }

  /// The error for an answer Cloudflare marked as failed (HTTP ≥ 400, or `success: false`): rejected
  /// credentials for 401 and 403, and for a 400 (or a `success: false` 2xx) whose error code or
  /// chained code is an authentication one (contract §3).
  private static func failure(status: Int, _ errors: [CloudflareMessage], retryAfter: Double?) -> RadarError {
    if status == 401 || status == 403 || (status == 400 || status < 300) && errors.contains(where: isAuthentication) {
      return .unauthorized(httpStatus: status, errors: errors)
    }
    if status == 429 { return .rateLimited(retryAfterSeconds: retryAfter) }
    return .upstream(httpStatus: status, errors: errors, retryAfterSeconds: retryAfter)
  }

  /// An error whose code, or a code in its `error_chain`, is an authentication one.
  private static func isAuthentication(_ error: CloudflareMessage) -> Bool {
    error.codes.contains(where: authenticationCodes.contains)
  }

  private struct Envelope {
    let object: JSONObject
    let success: Bool
    let errors: [CloudflareMessage]
  }

  /// Cloudflare's v4 envelope: an object with a boolean `success` (and `errors`, `result`), with
  /// every string in it redacted.
  private static func parseEnvelope(_ body: [UInt8], contentType: String?, redactor: CredentialRedactor)
    throws(RadarError) -> Envelope
  {
    let value: JSONValue
    do {
      value = redactor.redact(try JSONParser.parse(body))
    } catch {
      let kind = contentType.map { " (\($0.prefix(40)))" } ?? ""
      throw .unavailable(reason: body.isEmpty ? "the upstream body is empty" : "the upstream body is not JSON\(kind)")
    }
    guard case .object(let object) = value, case .bool(let success)? = object["success"] else {
      throw .unavailable(reason: "the upstream body is not Cloudflare's JSON envelope")
    }
    let errors = object["errors"]?.arrayValue?.map(CloudflareMessage.init) ?? []
    return Envelope(object: object, success: success, errors: errors)
  }

  /// A body is taken as JSON when its first non-blank byte opens an object.
  private static func looksLikeJSON(_ body: [UInt8]) -> Bool {
    body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
  }
}
