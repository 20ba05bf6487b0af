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

  /// Cloudflare's error objects pass whole into `data.errors`, and -32005 names the chained cause (contract §3).
  @Test func cloudflareErrorObjectsAreWholeAndTheChainedCauseIsNamed() throws {
    let entry = try JSONParser.parse(
      Array(
        #"""
        {"code":6003,"message":"Invalid request headers","documentation_url":"https://developers.cloudflare.com/",
         "error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}
        """#.utf8))
    let error = ResponseError(RadarError.unauthorized(httpStatus: 400, errors: [CloudflareMessage(entry)]))
    #expect(error.code.rawValue == -32005)
    #expect(error.data == ["httpStatus": 400, "errors": [entry]])
    #expect(error.message.contains("Invalid request headers, caused by: Invalid format for Authorization header"))
    let stringCode: JSONValue = ["code": "2001", "message": "bad dateRange", "source": ["pointer": "/dateRange/0"]]
    let upstream = ResponseError(RadarError.upstream(httpStatus: 400, errors: [CloudflareMessage(stringCode)]))
    #expect(upstream.code.rawValue == -32001)
    #expect(upstream.data?["errors"] == [stringCode])
  }

  @Test func unusableCredentialsSayWhatIsWrong() {
    let error = ResponseError(
      RadarError.unusableCredentials(reason: "the API token holds a control character (U+000A)"))
    #expect(error.code.rawValue == -32005)
    #expect(error.message.contains("U+000A"))
    #expect(error.data == ["reason": "the API token holds a control character (U+000A)"])
  }

  /// Whatever a retry-after value is, the answer carries a finite number in 0…86400 (contract §7).
  @Test func retryAfterIsClampedToADay() {
    for (value, expected) in [(1e300, 86_400.0), (-5, 0), (.infinity, 86_400), (.nan, 86_400), (86_400, 86_400)] {
      let error = ResponseError(RadarError.rateLimited(retryAfterSeconds: value))
      #expect(error.data?["retryAfterSeconds"]?.doubleValue == expected, "\(value)")
    }
  }

  @Test func anAnswerTooLargeIsInvalidParams() {
    let error = ResponseError(RadarError.answerTooLarge(estimatedBytes: 90_000_000, limit: 16_777_216))
    #expect(error.code == .invalidParams)
    #expect(error.message.contains("--max-message-bytes"))
    #expect(error.data?["errors"]?.arrayValue?.first?["path"] == "")
  }
}
