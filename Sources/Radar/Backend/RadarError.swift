public import JSON

/// One entry of Cloudflare's `errors` array, kept whole: `{"code": 6003, "message": "…",
/// "error_chain": [...], "documentation_url": "…", "source": {...}}` with every member as
/// Cloudflare sent it (credentials already redacted), whatever the type of `code` (contract §3).
public struct CloudflareMessage: Sendable, Hashable {
  /// The entry as it arrived (normally an object; kept as it is when it is not).
  public let value: JSONValue

  public init(_ value: JSONValue) {
    self.value = value
  }

  /// An entry made here (the demo backend's errors, tests): `{"code": code, "message": message}`.
  public init(code: Int?, message: String) {
    var object: JSONObject = [:]
    if let code { object["code"] = .number(JSONNumber(code)) }
    object["message"] = .string(message)
    value = .object(object)
  }

  /// `code` as an integer: a JSON integer, or a string of decimal digits (`"2001"`).
  public var code: Int? {
    switch value["code"] {
    case .number(let n)?: n.intValue
    case .string(let text)? where !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy({ $0 &- 0x30 < 10 }):
      Int(text)
    default: nil
    }
  }

  /// `message`, or the entry itself when it is a bare string; empty when there is neither.
  public var message: String {
    value["message"]?.stringValue ?? value.stringValue ?? ""
  }

  /// The entries of `error_chain`: the causes Cloudflare names for this error, outermost first.
  public var chain: [CloudflareMessage] {
    value["error_chain"]?.arrayValue?.map(CloudflareMessage.init) ?? []
  }

  /// This entry's code and the codes of its chain, depth first (a chain nests at most 8 deep here).
  public var codes: [Int] { codes(depth: 0) }

  private func codes(depth: Int) -> [Int] {
    (code.map { [$0] } ?? []) + (depth < 8 ? chain.flatMap { $0.codes(depth: depth + 1) } : [])
  }

  /// The message followed by the causes its chain names, for people:
  /// `Invalid request headers, caused by: Invalid format for Authorization header` (codes stay in
  /// the error's `data`). An entry without a message is named by its code.
  public var summary: String {
    func text(_ entry: CloudflareMessage) -> String {
      if !entry.message.isEmpty { return entry.message }
      return entry.code.map { "error \($0)" } ?? "an error without a message"
    }
    var causes: [String] = []
    var level = chain
    while let first = level.first, causes.count < 8 {
      causes.append(text(first))
      level = first.chain
    }
    return text(self) + (causes.isEmpty ? "" : ", caused by: " + causes.joined(separator: ", caused by: "))
  }
}

/// Why a Radar request failed, in the terms of the wire contract.
///
/// Backends and the client actor speak only these cases; the server maps each to its
/// JSON-RPC code in one place (-32001, -32003, -32004, -32005). Messages never carry
/// credentials.
public enum RadarError: Error, Sendable, Hashable {
  /// Cloudflare answered with an error: HTTP ≥ 400 other than 401/403/429, or `success: false`.
  /// `retryAfterSeconds` is what a `Retry-After` header of a 503 asked for (used by retries, not
  /// shown), always within 0…86400. `imitated`: the demo backend made this answer up as Cloudflare
  /// would have given it; no request left the machine (its message says so, its data are the same).
  case upstream(
    httpStatus: Int, errors: [CloudflareMessage], retryAfterSeconds: Double? = nil, imitated: Bool = false)
  /// HTTP 429 and retries did not get through; `retryAfterSeconds` within 0…86400 (contract §7).
  case rateLimited(retryAfterSeconds: Double?)
  /// Nothing was sent: the shared rate budget's first slot is further away than the call can
  /// afford (issue 19, contract §7), because another of the user's processes got a 429
  /// (`byAnother429`) or the window of `--rate-limit` is full. `retryAfterSeconds` is the wait.
  case heldBack(retryAfterSeconds: Double, byAnother429: Bool)
  /// Unreachable, timed out, or a body that is not the documented JSON.
  case unavailable(reason: String)
  /// No credentials (`httpStatus == nil`), or Cloudflare rejected them (401/403, or a 400 with an
  /// authentication error code such as 6003, 9106, 10000).
  case unauthorized(httpStatus: Int?, errors: [CloudflareMessage])
  /// Credentials that are not sent at all, because trimming left a control character in them
  /// (contract §1); `reason` says which value and which character, never the value itself.
  case unusableCredentials(reason: String)
  /// An answer too large to send (contract §7: larger than `--max-message-bytes`, `limit` bytes):
  /// the demo refuses it before building it, the live backend stops reading Cloudflare's answer
  /// once its `Content-Length` or its bytes pass the limit. `estimatedBytes` is a lower bound.
  case answerTooLarge(estimatedBytes: Int, limit: Int)
}
