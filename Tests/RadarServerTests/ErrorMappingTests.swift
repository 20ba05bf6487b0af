import Foundation
import JSON
import JSONRPC
import RadarProtocol
import Testing

@testable import Radar
@testable import RadarServer

/// Every Radar and protocol error becomes the contract's code and `data`, in one place.
@Suite struct ErrorMappingTests {
  private let authFailed = [CloudflareMessage(code: 10000, message: "Authentication error")]

  @Test func upstreamErrorsCarryStatusAndCloudflaresErrors() {
    let error = RadarError.upstream(
      httpStatus: 400, errors: [CloudflareMessage(code: 2001, message: "Input Validation Error")]
    ).responseError
    #expect(error.code.rawValue == -32001)
    #expect(error.message == "Cloudflare answered HTTP 400: Input Validation Error")
    #expect(error.data == ["httpStatus": 400, "errors": [["code": 2001, "message": "Input Validation Error"]]])
  }

  /// The demo backend's refusals keep -32001 and its data, and say who answered: no request left
  /// the machine.
  @Test func demoRefusalsSayTheDemoAnswered() {
    let error = RadarError.upstream(
      httpStatus: 400, errors: [CloudflareMessage(code: 2001, message: "name 'a' labels more than one series")],
      imitated: true
    ).responseError
    #expect(error.code.rawValue == -32001)
    #expect(
      error.message
        == "The demo backend answered as Cloudflare would, with HTTP 400: name 'a' labels more than one series")
    #expect(
      error.data == ["httpStatus": 400, "errors": [["code": 2001, "message": "name 'a' labels more than one series"]]])
  }

  @Test func rateLimitedSaysWhenToComeBack() {
    let error = RadarError.rateLimited(retryAfterSeconds: 30).responseError
    #expect(error.code.rawValue == -32003)
    #expect(error.data == ["httpStatus": 429, "retryAfterSeconds": 30])
    #expect(error.message.contains("retry after 30 s"))
    #expect(RadarError.rateLimited(retryAfterSeconds: nil).responseError.data == ["httpStatus": 429])
  }

  /// Adversary finding 9 (issue 19): a call held back by another process's 429 sent nothing, yet
  /// said "Rate limited by Cloudflare (HTTP 429)"; it says why it was held back.
  @Test func heldBackSaysNothingWasSentAndWhy() {
    let held = RadarError.heldBack(retryAfterSeconds: 30, byAnother429: true).responseError
    #expect(held.code.rawValue == -32003)
    #expect(held.data == ["httpStatus": 429, "retryAfterSeconds": 30])
    #expect(held.message.contains("another radar-rpc process") && held.message.contains("retry after 30 s"))
    #expect(!held.message.contains("Rate limited by Cloudflare"))
    let full = RadarError.heldBack(retryAfterSeconds: 3600, byAnother429: false).responseError
    #expect(full.message.contains("--rate-limit") && !full.message.contains("Rate limited by Cloudflare"))
  }

  @Test func unavailableCarriesTheReason() {
    let error = RadarError.unavailable(reason: "timed out after 30 s").responseError
    #expect(error.code.rawValue == -32004)
    #expect(error.data == ["reason": "timed out after 30 s"])
  }

  @Test func missingCredentialsTellHowToFixIt() {
    let error = RadarError.unauthorized(httpStatus: nil, errors: []).responseError
    #expect(error.code.rawValue == -32005)
    #expect(error.message.contains("CLOUDFLARE_API_TOKEN"))
    #expect(error.message.contains("--demo"))
  }

  @Test func rejectedCredentialsCarryStatusAndErrors() {
    let error = RadarError.unauthorized(httpStatus: 403, errors: authFailed).responseError
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
    let error = invalid.responseError
    #expect(error.code.rawValue == -32602)
    #expect(error.message == "Invalid params: /aggInterval must be one of 15m, 1h, 1d, 1w (got \"2d\") (and 1 more)")
    #expect(error.data?["errors"]?.arrayValue?.count == 2)
    #expect(error.data?["errors"]?.arrayValue?[1]["didYouMean"] == "dateRange")
    #expect(error.data?["errors"]?.arrayValue?[0]["didYouMean"] == nil)
  }

  @Test func subscriptionLimitCarriesTheLimit() {
    let error = SubscriptionHub.Refusal.limitReached(limit: 3).responseError
    #expect(error.code.rawValue == -32006)
    #expect(error.data == ["limit": 3])
  }

  @Test func subscribeAfterSubscriptionsEndedIsServerCancelled() {
    #expect(SubscriptionHub.Refusal.stopped.responseError.code.rawValue == -32802)
  }

  @Test func unknownMethodsSuggestCloseNames() {
    let error = MethodNotFound(method: "radar.ct.timeseriesGroup", didYouMean: ["radar.ct.timeseriesGroups"])
      .responseError
    #expect(error.code.rawValue == -32601)
    #expect(error.data == ["method": "radar.ct.timeseriesGroup", "didYouMean": ["radar.ct.timeseriesGroups"]])
  }

  /// The one place: outside the transport's own codes (JSON-RPC's and LSP's, which it answers
  /// with itself), no file of the server but ErrorMapping.swift writes an error code or builds
  /// a ``ResponseError``.
  @Test func errorCodesAreMadeInOnePlace() throws {
    let sources = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Sources").standardized
    var writers: [String: Set<String>] = [:]
    let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    for case let file as URL in files where file.pathExtension == "swift" {
      let relative = String(file.standardized.path.dropFirst(sources.path.count + 1))
      for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
        let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]  // without a comment
        if code.contains("ErrorCode(rawValue:") { writers["ErrorCode(rawValue:)", default: []].insert(relative) }
        if code.contains("ResponseError(") { writers["ResponseError(", default: []].insert(relative) }
      }
    }
    #expect(writers["ErrorCode(rawValue:)"] == ["JSONRPC/Messages/ErrorCode.swift", "RadarServer/ErrorMapping.swift"])
    #expect(writers["ResponseError("] == ["JSONRPC/Messages/ResponseError.swift", "RadarServer/ErrorMapping.swift"])
  }

  /// Cloudflare's error objects pass whole into `data.errors`, and -32005 names the chained cause (contract §3).
  @Test func cloudflareErrorObjectsAreWholeAndTheChainedCauseIsNamed() throws {
    let entry = try JSONParser.parse(
      Array(
        #"""
        {"code":6003,"message":"Invalid request headers","documentation_url":"https://developers.cloudflare.com/",
         "error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}
        """#.utf8))
    let error = RadarError.unauthorized(httpStatus: 400, errors: [CloudflareMessage(entry)]).responseError
    #expect(error.code.rawValue == -32005)
    #expect(error.data == ["httpStatus": 400, "errors": [entry]])
    #expect(error.message.contains("Invalid request headers, caused by: Invalid format for Authorization header"))
    let stringCode: JSONValue = ["code": "2001", "message": "bad dateRange", "source": ["pointer": "/dateRange/0"]]
    let upstream = RadarError.upstream(httpStatus: 400, errors: [CloudflareMessage(stringCode)]).responseError
    #expect(upstream.code.rawValue == -32001)
    #expect(upstream.data?["errors"] == [stringCode])
  }

  @Test func unusableCredentialsSayWhatIsWrong() {
    let error = RadarError.unusableCredentials(reason: "the API token holds a control character (U+000A)").responseError
    #expect(error.code.rawValue == -32005)
    #expect(error.message.contains("U+000A"))
    #expect(error.data == ["reason": "the API token holds a control character (U+000A)"])
  }

  /// Whatever a retry-after value is, the answer carries a finite number in 0…86400 (contract §7).
  @Test func retryAfterIsClampedToADay() {
    for (value, expected) in [(1e300, 86_400.0), (-5, 0), (.infinity, 86_400), (.nan, 86_400), (86_400, 86_400)] {
      let error = RadarError.rateLimited(retryAfterSeconds: value).responseError
      #expect(error.data?["retryAfterSeconds"]?.doubleValue == expected, "\(value)")
    }
  }

  @Test func anAnswerTooLargeIsInvalidParams() {
    let error = RadarError.answerTooLarge(estimatedBytes: 90_000_000, limit: 16_777_216).responseError
    #expect(error.code == .invalidParams)
    #expect(error.message.contains("--max-message-bytes"))
    #expect(error.data?["errors"]?.arrayValue?.first?["path"] == "")
    #expect(error.message.hasPrefix("Invalid params: the answer would be at least 90000000 bytes"), "\(error.message)")
  }

  /// A violation of the params as a whole is its own sentence: "Invalid params: params must be…",
  /// not "params params must be…".
  @Test func aViolationOfTheWholeParamsIsNotPrefixed() {
    let error = InvalidParams(violations: [
      Violation(path: "", message: "params must be an object (by name), not an array")
    ])
    .responseError
    #expect(error.message == "Invalid params: params must be an object (by name), not an array")
  }

  /// Contract §7: what a -32602 answer holds is bounded whatever the request held — a cut path,
  /// at most `maxListed` entries (the message counts them all).
  @Test func anAnswerToHugeParamsStaysSmall() throws {
    let many = (0..<(InvalidParams.maxListed * 3)).map { Violation(path: "/k\($0)", message: "unknown parameter") }
    let error = InvalidParams(violations: many).responseError
    #expect(error.data?["errors"]?.arrayValue?.count == InvalidParams.maxListed)
    #expect(error.message.hasSuffix("(and \(InvalidParams.maxListed * 3 - 1) more)"))
    let long = Violation(path: "/" + String(repeating: "k", count: 100_000), message: "unknown parameter")
    #expect(long.path.count == Violation.maxPathCharacters && long.path.hasSuffix("…"))
  }
}
