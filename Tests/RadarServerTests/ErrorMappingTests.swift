import JSON
import JSONRPC
import Radar
import RadarProtocol
import Testing

@testable import RadarServer

/// Every Radar and protocol error becomes the contract's code and `data`, in one place.
@Suite struct ErrorMappingTests {
  private let authFailed = [CloudflareMessage(code: 10000, message: "Authentication error")]

  @Test func upstreamErrorsCarryStatusAndCloudflaresErrors() {
    let error = ResponseError(
      RadarError.upstream(httpStatus: 400, errors: [CloudflareMessage(code: 2001, message: "Input Validation Error")]))
    #expect(error.code.rawValue == -32001)
    #expect(error.message == "Cloudflare answered HTTP 400: Input Validation Error")
    #expect(error.data == ["httpStatus": 400, "errors": [["code": 2001, "message": "Input Validation Error"]]])
  }

  @Test func rateLimitedSaysWhenToComeBack() {
    let error = ResponseError(RadarError.rateLimited(retryAfterSeconds: 30))
    #expect(error.code.rawValue == -32003)
    #expect(error.data == ["httpStatus": 429, "retryAfterSeconds": 30])
    #expect(error.message.contains("retry after 30 s"))
    #expect(ResponseError(RadarError.rateLimited(retryAfterSeconds: nil)).data == ["httpStatus": 429])
  }

  @Test func unavailableCarriesTheReason() {
    let error = ResponseError(RadarError.unavailable(reason: "timed out after 30 s"))
    #expect(error.code.rawValue == -32004)
    #expect(error.data == ["reason": "timed out after 30 s"])
  }

  @Test func missingCredentialsTellHowToFixIt() {
    let error = ResponseError(RadarError.unauthorized(httpStatus: nil, errors: []))
    #expect(error.code.rawValue == -32005)
    #expect(error.message.contains("CLOUDFLARE_API_TOKEN"))
    #expect(error.message.contains("--demo"))
  }

  @Test func rejectedCredentialsCarryStatusAndErrors() {
    let error = ResponseError(RadarError.unauthorized(httpStatus: 403, errors: authFailed))
    #expect(error.code.rawValue == -32005)
    #expect(error.data == ["httpStatus": 403, "errors": [["code": 10000, "message": "Authentication error"]]])
  }

  @Test func invalidParamsListEveryViolationWithSuggestions() {
    let invalid = InvalidParams(violations: [
      Violation(path: "/aggInterval", message: "must be one of 15m, 1h, 1d, 1w (got \"2d\")"),
      Violation(
        path: "/dateRang", message: "unknown parameter \"dateRang\"; did you mean \"dateRange\"?",
        suggestion: "dateRange"),
    ])
    let error = ResponseError(invalid)
    #expect(error.code.rawValue == -32602)
    #expect(error.message == "Invalid params: /aggInterval must be one of 15m, 1h, 1d, 1w (got \"2d\") (and 1 more)")
    #expect(error.data?["errors"]?.arrayValue?.count == 2)
    #expect(error.data?["errors"]?.arrayValue?[1]["didYouMean"] == "dateRange")
    #expect(error.data?["errors"]?.arrayValue?[0]["didYouMean"] == nil)
  }
}
