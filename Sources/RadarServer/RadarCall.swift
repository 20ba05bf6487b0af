import JSON
import JSONRPC
import Radar
import RadarProtocol

/// One call of a Radar method: validate and canonicalise the params, fetch through the
/// client actor, and stream what the client asked to be streamed (LSP `workDoneToken`
/// progress and `partialResultToken` partial results).
struct RadarCall {
  let method: RadarMethod
  /// The JSON-RPC request: its params, their bytes, and where they held strings that are not
  /// valid Unicode.
  let request: JSONRPCRequest
  /// Validates and canonicalises the params (with `--max-series`), or recalls the same bytes'.
  let canonicalRequests: CanonicalRequestMemo
  let client: RadarClient
  let context: RequestContext

  func run() async throws -> JSONValue {
    let request = try canonicalRequests.request(
      method, params: self.request.params, paramsBytes: self.request.paramsBytes,
      invalidUnicode: self.request.loneSurrogates)
    var onProgress: (@Sendable (RadarProgress) -> Void)? = nil
    if context.workDoneToken != nil {
      // LSP work-done progress: `begin` now, `report`s while the call waits (retries, the rate
      // limiter); the transport writes the `end` with the response, whoever answers (contract §8).
      context.beginWorkDone(
        title: "\(method.name) \(request.path.split(separator: "/").last.map(String.init) ?? "")")
      let context = self.context
      onProgress = { event in context.reportWorkDone(event.message) }
    }
    let result = try await client.fetch(request, progress: onProgress)
    // A CSV answer is one body, not series; a series may itself be named "format" (contract §5).
    guard context.partialResultToken != nil, !request.wantsCSV, let members = result.encoded.members() else {
      return result.value
    }
    // LSP partial results: every series as its own notification, then `meta` alone; each splices
    // the series as the result encoded it, without writing it again.
    var rest = JSONObject()
    for (key, value) in members {
      if key == "meta" {
        rest[key] = .encoded(value)
      } else {
        try Task.checkCancellation()
        await context.sendPartialResult(.object([key: .encoded(value)]))
      }
    }
    return .object(rest)
  }
}
