import JSON
import Testing

@testable import Radar

/// The one mapping from Cloudflare's answers to results and contract errors.
@Suite struct CloudflareResponseTests {
  private let json = ["content-type": "application/json"]
  private static let token = "response-token-5c1e"
  private let redactor = CredentialRedactor(secrets: [token, "user@example.com"])

  private func map(
    _ status: Int, _ body: String, headers: [String: String]? = nil, csv: Bool = false
  ) throws(RadarError) -> RadarResult {
    try CloudflareResponse.map(
      status: status, headers: headers ?? json, body: Array(body.utf8), wantsCSV: csv, now: 1_000_000,
      redactor: redactor)
  }

  private func envelope(_ errors: String, success: Bool = false) -> String {
    #"{"success":\#(success),"errors":\#(errors),"messages":[],"result":null}"#
  }

  @Test func passesTheResultObjectThroughUnchanged() throws {
    let body = #"""
      {"success":true,"errors":[],"messages":[],"result":{"meta":{"aggInterval":"ONE_HOUR","newField":{"x":[1,2.50,1e400]}},
      "serie_0":{"timestamps":["2026-01-01T00:00:00Z"],"CLEAN":["52.5532"]},"extra":null}}
      """#
    let result = try map(200, body)
    guard case .object(let object) = result.value.resolved else {
      Issue.record("not an object")
      return
    }
    #expect(object.keys == ["meta", "serie_0", "extra"])
    #expect(JSONWriter.string(result.value).contains(#""newField":{"x":[1,2.50,1e400]}"#))
    #expect(result.value["serie_0"]?["CLEAN"] == ["52.5532"])
    #expect(result.byteCount == body.utf8.count)
  }

  @Test func csvBodiesBecomeTheCSVShape() throws {
    let csv = "Serie_0 timestamps,Serie_0 HTTP\n2026-01-01T00:00:00Z,51.2\n"
    #expect(try map(200, csv, headers: ["content-type": "text/csv"], csv: true) == .csv(csv))
    #expect(try map(200, csv, headers: [:], csv: true) == .csv(csv))
    // A JSON answer to a CSV request is still Cloudflare's result.
    #expect(try map(200, #"{"success":true,"result":{"a":1}}"#, csv: true).value == ["a": 1])
    #expect(throws: RadarError.unavailable(reason: "the CSV body is not UTF-8")) {
      try CloudflareResponse.map(
        status: 200, headers: [:], body: [0xFF, 0xFE], wantsCSV: true, now: 0, redactor: redactor)
    }
  }

  @Test func bodiesThatAreNotTheDocumentedJSONAreUnavailable() {
    let cases: [(String, String)] = [
      ("<html>502</html>", "the upstream body is not JSON (application/json)"),
      (#"{"success":true,"result":{"meta":"#, "the upstream body is not JSON (application/json)"),
      ("", "the upstream body is empty"),
      ("[1,2]", "the upstream body is not Cloudflare's JSON envelope"),
      (#"{"result":{}}"#, "the upstream body is not Cloudflare's JSON envelope"),
      (#"{"success":"yes","result":{}}"#, "the upstream body is not Cloudflare's JSON envelope"),
      (#"{"success":true,"result":null}"#, "the upstream answer has no result object"),
      (#"{"success":true,"result":[]}"#, "the upstream answer has no result object"),
    ]
    for (body, reason) in cases {
      #expect(throws: RadarError.unavailable(reason: reason), "\(body)") { try map(200, body) }
    }
  }

  @Test func successFalseIsAnUpstreamErrorWithCloudflaresErrors() {
    #expect(throws: RadarError.upstream(httpStatus: 200, errors: [.init(code: 2001, message: "bad dateRange")])) {
      try map(200, envelope(#"[{"code":2001,"message":"bad dateRange"}]"#))
    }
  }

  @Test func httpErrorsCarryStatusAndErrorsAsSent() {
    #expect(
      throws: RadarError.upstream(httpStatus: 400, errors: [.init(code: 2001, message: "Input Validation Error")])
    ) {
      try map(400, envelope(#"[{"code":2001,"message":"Input Validation Error"}]"#))
    }
    #expect(throws: RadarError.upstream(httpStatus: 404, errors: [.init(code: nil, message: "no route")])) {
      try map(404, envelope(#"[{"message":"no route"}]"#))
    }
    #expect(throws: RadarError.upstream(httpStatus: 502, errors: [])) {
      try map(502, "<html>Bad Gateway</html>", headers: ["content-type": "text/html"])
    }
    #expect(throws: RadarError.upstream(httpStatus: 503, errors: [], retryAfterSeconds: 7)) {
      try map(503, envelope("[]"), headers: ["retry-after": "7"])
    }
  }

  @Test func authenticationFailuresAreUnauthorized() {
    let missing = #"[{"code":9106,"message":"Missing X-Auth-Key, X-Auth-Email or Authorization headers"}]"#
    #expect(
      throws: RadarError.unauthorized(
        httpStatus: 400,
        errors: [.init(code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers")])
    ) {
      try map(400, envelope(missing))
    }
    let malformed = #"[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"x"}]}]"#
    #expect(
      throws: RadarError.unauthorized(
        httpStatus: 400, errors: [.init(try! JSONParser.parse(Array(malformed.utf8)).arrayValue![0])])
    ) {
      try map(400, envelope(malformed))
    }
    // Only the chained code is an authentication one: still rejected credentials.
    let chained = #"[{"code":1000,"message":"Bad request","error_chain":[{"code":"9106","message":"Missing"}]}]"#
    #expect(isUnauthorized { try map(400, envelope(chained)) })
    // A 5xx or 429 that happens to carry such a code stays what its status says.
    #expect(!isUnauthorized { try map(500, envelope(#"[{"code":10000,"message":"x"}]"#)) })
    #expect(throws: RadarError.rateLimited(retryAfterSeconds: nil)) {
      try map(429, envelope(#"[{"code":10000,"message":"rate limited"}]"#))
    }
    #expect(
      throws: RadarError.unauthorized(httpStatus: 403, errors: [.init(code: 10000, message: "Authentication error")])
    ) {
      try map(403, envelope(#"[{"code":10000,"message":"Authentication error"}]"#))
    }
    #expect(throws: RadarError.unauthorized(httpStatus: 401, errors: [])) { try map(401, "") }
  }

  @Test func tooManyRequestsIsRateLimitedWithRetryAfter() {
    #expect(throws: RadarError.rateLimited(retryAfterSeconds: 30)) {
      try map(429, envelope(#"[{"code":971,"message":"slow down"}]"#), headers: ["retry-after": "30"])
    }
    // An HTTP date is relative to `now` (1,000,000 s after the epoch = Mon, 12 Jan 1970 13:46:40 GMT).
    #expect(throws: RadarError.rateLimited(retryAfterSeconds: 20)) {
      try map(429, "", headers: ["retry-after": "Mon, 12 Jan 1970 13:47:00 GMT"])
    }
    #expect(throws: RadarError.rateLimited(retryAfterSeconds: nil)) { try map(429, "") }
  }

  private func isUnauthorized(_ body: () throws -> RadarResult) -> Bool {
    do {
      _ = try body()
      return false
    } catch {
      if case .unauthorized? = error as? RadarError { return true }
      return false
    }
  }

  /// Cloudflare's error objects whole: any code type, `error_chain`, `documentation_url`, `source` (contract §3).
  @Test func errorObjectsAreKeptWhole() throws {
    let entries = #"""
      [{"code":"2001","message":"bad dateRange","source":{"pointer":"/dateRange/0"}},
       {"code":6003,"message":"Invalid request headers","documentation_url":"https://developers.cloudflare.com/",
        "error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]},
       "a bare string", {"code":1.5,"message":"odd code","extra":[1,{"x":null}]}]
      """#
    let expected = try JSONParser.parse(Array(entries.utf8)).arrayValue!.map(CloudflareMessage.init)
    do {
      _ = try map(400, envelope(entries))
      Issue.record("no error")
    } catch {
      #expect(error == .unauthorized(httpStatus: 400, errors: expected))  // 6003 is an authentication code
    }
    #expect(expected[0].code == 2001)
    #expect(expected[1].codes == [6003, 6111])
    #expect(expected[1].summary == "Invalid request headers, caused by: Invalid format for Authorization header")
    #expect(expected[2].message == "a bare string")
    #expect(expected[3].code == nil)
  }

  /// A credential echoed anywhere in the answer is gone before anything else sees it (contract §1).
  @Test func credentialValuesAreRedactedFromEverythingUpstreamSent() throws {
    let t = Self.token
    // In an error message, a member name, a chain, and spelled with JSON escapes.
    let escaped = t.unicodeScalars.map {
      "\\u" + String(repeating: "0", count: 4 - String($0.value, radix: 16).count) + String($0.value, radix: 16)
    }.joined()
    let body =
      #"{"success":false,"errors":[{"code":7003,"message":"headers were: Authorization: Bearer \#(t)","#
      + #""error_chain":[{"code":1,"message":"X-Auth-Email: user@example.com"}],"\#(t)":"\#(escaped)"}],"result":null}"#
    do {
      _ = try map(400, body)
      Issue.record("no error")
    } catch {
      guard case .upstream(_, let errors, _, _) = error else {
        Issue.record("\(error)")
        return
      }
      let text = JSONWriter.string(.array(errors.map(\.value)))
      #expect(!text.contains(t))
      #expect(!text.contains("user@example.com"))
      #expect(text.contains("Bearer [redacted]"))
      #expect(errors[0].value["[redacted]"] == "[redacted]")
    }
    // In a success result, which is then cached and sent.
    let result = try map(200, #"{"success":true,"result":{"meta":{"note":"token \#(t) seen"},"\#(t)":{"v":["1"]}}}"#)
    #expect(!JSONWriter.string(result.value).contains(t))
    #expect(result.value["meta"]?["note"] == "token [redacted] seen")
    // In CSV, and in headers a later error might quote.
    let csv = try map(200, "name,\(t)\n", headers: ["content-type": "text/csv"], csv: true)
    #expect(csv == .csv("name,[redacted]\n"))
    #expect(throws: RadarError.unavailable(reason: "the upstream body is not JSON (text/[redacted])")) {
      try map(200, "<html>", headers: ["content-type": "text/\(t)"])
    }
  }

  /// A `Retry-After` that does not matter is not parsed into anything (the far-future date case).
  @Test func retryAfterOnASuccessIsIgnored() throws {
    let body = #"{"success":true,"result":{"meta":{}}}"#
    let headers = ["content-type": "application/json", "retry-after": "Sun, 06 Nov 99999999999999 08:49:37 GMT"]
    #expect(try map(200, body, headers: headers).value == ["meta": [:]])
    #expect(throws: RadarError.upstream(httpStatus: 500, errors: [], retryAfterSeconds: nil)) {
      try map(500, envelope("[]"), headers: ["retry-after": "5"])
    }
    #expect(throws: RadarError.rateLimited(retryAfterSeconds: 86_400)) {
      try map(429, envelope("[]"), headers: ["retry-after": "9223372036854775807"])
    }
  }
}
