import JSON
import JSONRPC
import Radar
import RadarProtocol

/// `radar.subscribe` / `radar.unsubscribe` on top of the Radar layer's ``SubscriptionHub``:
/// validates params, turns updates into `radar/update` notifications, and ties the
/// subscription's life to the request that made it.
struct SubscriptionService: Sendable {
  static let limitReached = ErrorCode(rawValue: -32006)

  let hub: SubscriptionHub
  let methods: MethodTable

  var count: Int { get async { await hub.count } }

  /// Validates `{method, params, intervalSeconds}` against the document's schema of
  /// `radar.subscribe` (so `intervalSeconds` is 1…86400, contract §7) and `params` against the
  /// Radar method's, every violation at once; then starts the subscription.
  func subscribe(
    _ params: JSONValue?, loneSurrogates: [String] = [], limits: RequestLimits = RequestLimits(),
    context: RequestContext
  ) async throws -> JSONValue {
    var violations = loneSurrogates.map(Violation.notUnicode)
    violations += methods.paramViolations(method: "radar.subscribe", params: params)
    let object = params?.objectValue ?? [:]
    var radarMethod: RadarMethod? = nil
    if case .string(let name)? = object["method"] {
      radarMethod = methods.radarMethod(named: name)
      if radarMethod == nil {
        let close = Suggestions.closest(to: name, among: methods.radarMethodNames)
        violations.append(
          Violation(
            path: "/method",
            message: "must be a Radar method (\(methods.radarMethodNames.joined(separator: ", ")))"
              + (close.first.map { "; did you mean \"\($0)\"?" } ?? ""),
            suggestion: close.first))
      }
    }
    var request: RadarRequest? = nil
    if let radarMethod, case .object? = object["params"] {
      do {
        request = try radarMethod.makeRequest(params: object["params"], pointerPrefix: "/params", limits: limits)
      } catch {
        violations += error.violations
      }
    }
    guard violations.isEmpty, let request else { throw ResponseError(InvalidParams(violations: violations)) }
    // In 1…86400 by the schema just checked.
    let interval = object["intervalSeconds"]?.intValue ?? 60

    let id: SubscriptionID
    do {
      id = try await hub.subscribe(request, interval: .seconds(interval)) { id, update in
        await context.notify("radar/update", Self.notification(id, update))
      }
    } catch {
      throw ResponseError(
        Self.limitReached, "Too many subscriptions: the limit is \(error.limit) (--max-subscriptions)",
        data: ["limit": .number(JSONNumber(error.limit))])
    }
    let hub = self.hub
    // Updates start once the answer carrying the id is queued; if the request is cancelled
    // (or the server gives up on it) before that, the subscription goes away with it.
    context.afterResponse { Task { await hub.activate(id) } }
    context.onCancellation {
      Task { await hub.unsubscribe(id) }
      return nil
    }
    if Task.isCancelled {
      await hub.unsubscribe(id)
      throw CancellationError()
    }
    return ["subscription": .string(id.rawValue)]
  }

  func unsubscribe(_ params: JSONValue?) async throws -> JSONValue {
    guard case .string(let id)? = params?["subscription"] else {
      throw invalid("/subscription", "is required: the id that radar.subscribe returned")
    }
    guard await hub.unsubscribe(SubscriptionID(id)) else {
      throw invalid("/subscription", "no subscription \"\(id)\" (already ended, or never created)")
    }
    return true
  }

  func stopAll(reason: String) async { await hub.stopAll() }

  private func invalid(_ path: String, _ message: String) -> ResponseError {
    ResponseError(InvalidParams(violations: [Violation(path: path, message: message, suggestion: nil)]))
  }

  static func notification(_ id: SubscriptionID, _ update: SubscriptionUpdate) -> JSONValue {
    switch update {
    case .result(let value):
      return ["subscription": .string(id.rawValue), "result": value]
    case .failure(let error):
      return ["subscription": .string(id.rawValue), "error": ResponseError(error).json]
    }
  }
}
