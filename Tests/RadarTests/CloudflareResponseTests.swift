import JSON
import Testing

@testable import Radar

/// The one mapping from Cloudflare's answers to results and contract errors.
@Suite struct CloudflareResponseTests {
  private let json = ["content-type": "application/json"]

  private func map(
    _ status: Int, _ body: String, headers: [String: String]? = nil, csv: Bool = false
  ) throws(RadarError) -> RadarResult {
    try CloudflareResponse.map(
      status: status, headers: headers ?? json, body: Array(body.utf8), wantsCSV: csv, now: 1_000_000)
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
    guard case .object(let object) = result.value else {
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
      try CloudflareResponse.map(status: 200, headers: [:], body: [0xFF, 0xFE], wantsCSV: true, now: 0)
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
      throws: RadarError.unauthorized(httpStatus: 400, errors: [.init(code: 6003, message: "Invalid request headers")])
    ) {
      try map(400, envelope(malformed))
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
}
