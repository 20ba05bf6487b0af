import JSON
import JSONRPC
import Radar
import RadarProtocol

/// `radar.subscribe` / `radar.unsubscribe` on top of the Radar layer's ``SubscriptionHub``:
/// validates params, turns updates into `radar/update` notifications, and ties the
/// subscription's life to the request that made it.
struct SubscriptionService: Sendable {
  let hub: SubscriptionHub
  let methods: MethodTable

  /// Subscriptions, and pollers running for them (identical subscriptions share one): read at
  /// once, without a visit to the hub.
  var counts: (subscriptions: Int, pollers: Int) { hub.counts }

  /// Checks `params` against the document's `radar.subscribe` params (`method` a string, `params`
  /// an object, `intervalSeconds` an integer ≥ 1, nothing else) and what the document cannot
  /// say (`method` names a Radar method, `params` are valid for it), all violations at once.
  /// `intervalSeconds` is bounded by its schema (1…86400, contract §7); `loneSurrogates` are
  /// strings of `params` that are not valid Unicode (contract §3).
  func subscribe(
    _ params: JSONValue?, loneSurrogates: [String] = [], limits: RequestLimits = RequestLimits(),
    context: RequestContext
  ) async throws -> JSONValue {
    var violations = loneSurrogates.map(Violation.notUnicode)
    violations += methods.paramViolations(method: "radar.subscribe", params: params)
    var request: RadarRequest? = nil
    if case .string(let name)? = params?["method"] {
      if let radarMethod = methods.radarMethod(named: name) {
        if case .object? = params?["params"] {
          do {
            request = try radarMethod.makeRequest(params: params?["params"], pointerPrefix: "/params", limits: limits)
          } catch {
            violations += error.violations
          }
        }
      } else {
        let close = Suggestions.closest(to: name, among: methods.radarMethodNames)
        violations.append(
          Violation(
            path: "/method",
            message: "must be a Radar method (\(methods.radarMethodNames.joined(separator: ", ")))"
              + (close.first.map { "; did you mean \"\($0)\"?" } ?? ""),
            suggestion: close.first))
      }
    }
    guard violations.isEmpty, let request else { throw InvalidParams(violations: violations) }
    let interval = params?["intervalSeconds"]?.intValue ?? 60
    let id = try await hub.subscribe(request, interval: .seconds(interval)) { id, update in
      await context.notifyOnConnection(ServerNotification.radarUpdate, Self.notification(id, update))
    }
    // The subscription lives only if the client gets the answer that carries its id: updates
    // start once that answer is queued (so they follow it); if the request was answered
    // otherwise first (cancelled, or given up at shutdown), the subscription and its poller go.
    let answer: JSONValue = ["subscription": .string(id.rawValue)]
    if await context.respond(answer) {
      await hub.activate(id)
    } else {
      await hub.unsubscribe(id)
    }
    return answer
  }

  /// `params` already passed the document's `radar.unsubscribe` params (`subscription` a string).
  func unsubscribe(_ params: JSONValue?) async throws -> JSONValue {
    let id = params?["subscription"]?.stringValue ?? ""
    guard await hub.unsubscribe(SubscriptionID(id)) else {
      throw InvalidParams(violations: [
        Violation(path: "/subscription", message: "no subscription \"\(id)\" (already ended, or never created)")
      ])
    }
    return true
  }

  func stopAll() async { await hub.stopAll() }

  static func notification(_ id: SubscriptionID, _ update: SubscriptionUpdate) -> JSONValue {
    switch update {
    case .result(let value):
      return ["subscription": .string(id.rawValue), "result": value]
    case .failure(let error):
      return ["subscription": .string(id.rawValue), "error": error.responseError.json]
    }
  }
}
