import JSON

/// One hostile upstream reply for the fake Cloudflare to play (a `reply` fault), and the answer
/// radar-rpc owes for it with `--retries 0` (contract §3, §7): a result, or an error code, and for
/// -32003 the `retryAfterSeconds` the headers call for (`nil`: absent).
struct UpstreamFuzzCase {
  enum Outcome: Equatable {
    case result
    case error(Int)
    case rateLimited(retryAfterSeconds: Double?)
  }

  let fault: JSONValue
  let outcome: Outcome
  let label: String
}

/// Generates hostile upstream replies, deterministic for a seed: statuses Cloudflare uses,
/// `Retry-After` and `retry-after-ms` values that are huge, negative, fractional, hex, or HTTP-dates
/// at year 0, 9999 and 10¹⁴; other hostile headers (``hostileHeaders``: `Content-Length`,
/// `Set-Cookie`, `Location`, `Content-Type`, giant and many headers); credentials echoed in headers,
/// messages, error chains, member names and results; error codes of every JSON type and size;
/// bodies that are not JSON or not the envelope.
struct UpstreamFuzzCaseGenerator {
  private(set) var random: SeededRandom

  init(seed: UInt64) { random = SeededRandom(seed: seed) }

  /// Retry header values and the delay they mean: a number of seconds (already clamped to a day),
  /// or `nil` when the value is not delay-seconds nor an HTTP date (so it counts as absent).
  static let delays: [(text: String, seconds: Double?)] = [
    ("0", 0), ("3", 3), ("86400", 86_400), ("86401", 86_400), ("9223372036854775807", 86_400),
    ("9223372036854775808", 86_400), ("18446744073709551616", 86_400), ("99999999999999999999999", 86_400),
    (" 7 ", 7), ("-1", nil), ("-9223372036854775809", nil), ("1.5", nil), ("0.0", nil), ("0x3", nil), ("1e3", nil),
    ("+5", nil), ("", nil), ("soon", nil), ("NaN", nil), ("inf", nil),
    ("Sun, 06 Nov 1994 08:49:37 GMT", 0),  // in the past: no wait
    ("Sat, 01 Jan 0000 00:00:00 GMT", 0), ("Fri, 31 Dec 9999 23:59:59 GMT", 86_400),
    ("Sun, 06 Nov 99999999999999 08:49:37 GMT", nil), ("Mon, 01 Jan 100000000000000 00:00:00 GMT", nil),
    ("Sun, 30 Feb 2026 00:00:00 GMT", nil), ("Sun, 06 Nov 1994 25:49:37 GMT", nil),
    ("Sun, 06 Nov -1994 08:49:37 GMT", nil),
  ]

  /// `retry-after-ms` values (milliseconds, digits only, never a date) and the delay they mean.
  static let millisecondDelays: [(text: String, seconds: Double?)] = [
    ("250", 0.25), ("0", 0), ("86400000", 86_400), ("86400001", 86_400), ("9223372036854775807", 86_400),
    ("99999999999999999999999", 86_400), ("-5", nil), ("1.5", nil), ("0x10", nil), ("", nil),
    ("Sun, 06 Nov 1994 08:49:37 GMT", nil),
  ]

  /// Cloudflare codes of every JSON type; `true` for the authentication ones.
  static let codes: [(value: JSONValue, authentication: Bool)] = [
    (2001, false), (7003, false), (971, false), (1000, false), (6003, true), (9106, true), (10000, true),
    ("6003", true), ("2001", false), ("abc", false), (.null, false), (-1, false),
    (.number(JSONNumber(literal: "1e400")!), false), (.number(JSONNumber(literal: "18446744073709551616")!), false),
    (.number(JSONNumber(literal: "6003.5")!), false), ([6003], false),
  ]

  static let statuses = [200, 200, 200, 400, 400, 401, 403, 404, 429, 429, 429, 500, 502, 503]

  /// What a hostile header does to the answer it comes with.
  enum HeaderEffect {
    /// Nothing: the header is not one radar-rpc acts on here.
    case none
    /// A `Content-Length` past `--max-message-bytes` (16 MiB by default), or past what any
    /// integer holds: -32602 at once, whatever the status.
    case answerTooLarge
    /// The answer cannot be read (libcurl refuses the header, the body ends early, the headers
    /// pass their bound): -32004, whatever the status.
    case unavailable
    /// A `Content-Length` of 0: the body is taken as empty.
    case emptyBody
    /// An encoding the body does not have: -32004 unless the body is empty (nothing to decode).
    case undecodable
  }

  /// Headers no honest upstream sends, and their effect: `Content-Length` huge, negative, not a
  /// number, longer or shorter than the body; giant and odd `Set-Cookie`, `Location` (on a status
  /// that is not a redirect), `Content-Type` values; an encoding the body does not have; a header
  /// past libcurl's 100 KiB line limit and more header bytes than radar-rpc takes.
  static let hostileHeaders: [(label: String, headers: [(String, String)], effect: HeaderEffect)] = [
    ("Content-Length 10^23", [("Content-Length", "99999999999999999999999")], .answerTooLarge),
    ("Content-Length 2^64", [("Content-Length", "18446744073709551616")], .answerTooLarge),
    ("Content-Length 2^63-1", [("Content-Length", "9223372036854775807")], .answerTooLarge),
    ("Content-Length 16 MiB + 1", [("Content-Length", "16777217")], .answerTooLarge),
    ("Content-Length -1", [("Content-Length", "-1")], .unavailable),
    ("Content-Length abc", [("Content-Length", "abc")], .unavailable),
    ("Content-Length empty", [("Content-Length", "")], .unavailable),
    ("Content-Length longer than the body", [("Content-Length", "1000000")], .unavailable),
    ("Content-Length 0", [("Content-Length", "0")], .emptyBody),
    ("Set-Cookie echoing the token", [("Set-Cookie", "session=<THE TOKEN>; Path=/; HttpOnly")], .none),
    (
      "Set-Cookie odd",
      [("Set-Cookie", "\u{7F}=;;;===; Max-Age=-9223372036854775809; Expires=Sun, 06 Nov 99999999999999")],
      .none
    ),
    ("Set-Cookie 64 KiB", [("Set-Cookie", "c=" + String(repeating: "c", count: 64 << 10))], .none),
    ("Location port 10^20", [("Location", "http://127.0.0.1:99999999999999999999/<THE TOKEN>")], .none),
    ("Location javascript:", [("Location", "javascript:alert('<THE TOKEN>')")], .none),
    ("Location 64 KiB", [("Location", String(repeating: "/x", count: 32 << 10))], .none),
    ("Content-Type 51 KB", [("Content-Type", String(repeating: "application/json;", count: 3000))], .none),
    ("Content-Type utf-32", [("Content-Type", "application/json; charset=utf-32")], .none),
    ("Content-Encoding gzip on a plain body", [("Content-Encoding", "gzip")], .undecodable),
    (
      "Transfer-Encoding chunked on a plain body", [("Transfer-Encoding", "chunked"), ("Connection", "close")],
      .unavailable
    ),
    ("a 200 KiB header", [("X-Giant", String(repeating: "g", count: 200 << 10))], .unavailable),
    ("300 headers of 1000 bytes", (0..<300).map { ("X-Pad-\($0)", String(repeating: "p", count: 1000)) }, .unavailable),
  ]

  private mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }

  mutating func next() -> UpstreamFuzzCase {
    let status = pick(Self.statuses)
    var headers: JSONObject = [:]
    var labels: [String] = ["HTTP \(status)"]
    var retryAfter: Double? = nil
    if random.chance(0.7) {
      let delay = pick(Self.delays)
      headers["Retry-After"] = .string(delay.text)
      retryAfter = delay.seconds
      labels.append("Retry-After '\(delay.text)'")
    }
    if random.chance(0.25) {
      let delay = pick(Self.millisecondDelays)
      headers["retry-after-ms"] = .string(delay.text)
      if let seconds = delay.seconds { retryAfter = seconds }  // a valid retry-after-ms wins
      labels.append("retry-after-ms '\(delay.text)'")
    }
    if random.chance(0.5) { headers["X-Echo"] = "Bearer <THE TOKEN>" }
    if random.chance(0.2) { headers["Content-Type"] = pick(["text/<THE TOKEN>", "application/json", "text/plain"]) }
    var headerEffect = HeaderEffect.none
    if random.chance(0.35) {
      let hostile = pick(Self.hostileHeaders)
      for (name, value) in hostile.headers { headers[name] = .string(value) }
      headerEffect = hostile.effect
      labels.append(hostile.label)
    }

    enum Body {
      case normal, echoResult
      case envelope(authentication: Bool)
      case notJSON, empty, notEnvelope
    }
    var body: Body
    var object: JSONObject = ["kind": "reply", "status": .number(JSONNumber(status))]
    switch random.next() % 8 {
    case 0, 1:
      body = .normal
      labels.append("normal body")
    case 2:
      body = .echoResult
      object["body"] = [
        "success": true, "errors": [], "result": ["meta": ["note": "<THE TOKEN>"], "<THE TOKEN>": ["timestamps": []]],
      ]
      labels.append("result echoing the token")
    case 3, 4:
      var errors: [JSONValue] = []
      var authentication = false
      for _ in 0..<(1 + random.next() % 3) {
        let code = pick(Self.codes)
        var entry: JSONObject = ["code": code.value, "message": "headers were: Authorization: Bearer <THE TOKEN>"]
        authentication = authentication || code.authentication
        if random.chance(0.4) {
          let cause = pick(Self.codes)
          authentication = authentication || cause.authentication
          entry["error_chain"] = [["code": cause.value, "message": "<THE TOKEN> cause", "<THE TOKEN>": true]]
        }
        if random.chance(0.3) { entry["documentation_url"] = "https://developers.cloudflare.com/<THE TOKEN>" }
        errors.append(.object(entry))
      }
      body = .envelope(authentication: authentication)
      // As text: the fake's JSON (Python) would turn 1e400 into Infinity.
      object["bodyText"] = .string(
        JSONWriter.string(["success": false, "errors": .array(errors), "messages": [], "result": .null]))
      labels.append("errors \(JSONWriter.string(.array(errors.map { $0["code"] ?? .null })))")
    case 5:
      body = .notJSON
      object["body"] = "<html>Bearer <THE TOKEN></html>"
      labels.append("not JSON")
    case 6:
      body = .empty
      object["body"] = ""
      labels.append("empty body")
    default:
      body = .notEnvelope
      object["body"] = pick([["success": "true", "result": [:]], [1, 2], ["result": ["<THE TOKEN>": 1]]])
      labels.append("not the envelope")
    }
    if !headers.isEmpty { object["headers"] = .object(headers) }

    if case .emptyBody = headerEffect { body = .empty }
    if case .undecodable = headerEffect, case .empty = body {
      headerEffect = .none
    } else if case .undecodable = headerEffect {
      headerEffect = .unavailable
    }
    let outcome: UpstreamFuzzCase.Outcome
    switch status {
    case _ where headerEffect == .answerTooLarge:
      outcome = .error(-32602)
    case _ where headerEffect == .unavailable:
      outcome = .error(-32004)
    case 200..<300:
      switch body {
      case .normal, .echoResult: outcome = .result
      case .envelope(let authentication): outcome = .error(authentication ? -32005 : -32001)
      case .notJSON, .empty, .notEnvelope: outcome = .error(-32004)
      }
    case 401, 403:
      outcome = .error(-32005)
    case 400:
      if case .envelope(true) = body { outcome = .error(-32005) } else { outcome = .error(-32001) }
    case 429:
      outcome = .rateLimited(retryAfterSeconds: retryAfter)
    default:
      outcome = .error(-32001)
    }
    return UpstreamFuzzCase(fault: .object(object), outcome: outcome, label: labels.joined(separator: ", "))
  }
}
