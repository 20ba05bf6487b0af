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
  /// Where the params held strings that are not valid Unicode (JSON Pointers into `params`).
  let loneSurrogates: [String]
  let limits: RequestLimits
  let client: RadarClient
  let context: RequestContext

  func run() async throws -> JSONValue {
    let request = try method.makeRequest(params: params, limits: limits, invalidUnicode: loneSurrogates)
    let progress = Self.token(params?["workDoneToken"]).map { WorkDoneProgress(token: $0, context: context) }
    let partialToken = Self.token(params?["partialResultToken"])
    progress?.begin(title: "\(method.name) \(request.path.split(separator: "/").last.map(String.init) ?? "")")
    let result: RadarResult
    do {
      var onProgress: (@Sendable (RadarProgress) -> Void)? = nil
      if let progress { onProgress = { event in progress.report(event.message) } }
      result = try await client.fetch(request, progress: onProgress)
    } catch let error as RadarError {
      progress?.end("failed: \(error.responseError.message)")
      throw error
    } catch {
      progress?.end("cancelled")
      throw error
    }
    // A CSV answer is one body, not series; a series may itself be named "format" (contract §5).
    guard let partialToken, !request.wantsCSV, let members = result.encoded.members() else {
      progress?.end("done")
      return result.value
    }
    // LSP partial results: every series as its own notification, then `meta` alone; each splices
    // the series as the result encoded it, without writing it again.
    var rest = JSONObject()
    for (key, value) in members {
      if key == "meta" {
        rest[key] = .encoded(value)
      } else {
        await context.notify(
          ServerNotification.progress, ["token": partialToken, "value": .object([key: .encoded(value)])])
      }
    }
    progress?.end("done")
    return .object(rest)
  }

  /// A progress token as LSP defines it: a string or an integer.
  static func token(_ value: JSONValue?) -> JSONValue? {
    switch value {
    case .string?: value
    case .number(let n)? where n.isInteger: value
    default: nil
    }
  }
}
