import JSON
import JSONRPC
import Radar
import RadarProtocol

/// One call of a Radar method: validate and canonicalise the params, fetch through the
/// client actor, and stream what the client asked to be streamed (LSP `workDoneToken`
/// progress and `partialResultToken` partial results).
struct RadarCall {
  let method: RadarMethod
  let params: JSONValue?
  let client: RadarClient
  let context: RequestContext

  func run() async throws -> JSONValue {
    let request = try method.makeRequest(params: params)
    // LSP work-done progress: `begin` now, `report`s while the call waits (retries, the rate
    // limiter); the transport writes the `end` with the response, whoever answers (contract §8).
    context.beginWorkDone(
      title: "\(method.name) \(request.path.split(separator: "/").last.map(String.init) ?? "")")
    var onProgress: (@Sendable (RadarProgress) -> Void)? = nil
    if context.workDoneToken != nil {
      let context = self.context
      onProgress = { event in context.reportWorkDone(event.message) }
    }
    let result = try await client.fetch(request, progress: onProgress)
    guard context.partialResultToken != nil, let members = result.encoded.members(),
      !members.contains(where: { $0.key == "format" })
    else {
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
