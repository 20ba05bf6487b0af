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
  var pollerCount: Int { get async { await hub.pollerCount } }

  func subscribe(_ params: JSONValue?, context: RequestContext) async throws -> JSONValue {
    guard case .object(let object) = params else {
      throw invalid("", "params must be an object {method, params, intervalSeconds}")
    }
    var violations: [Violation] = []
    var radarMethod: RadarMethod? = nil
    switch object["method"] {
    case .string(let name)?:
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
    case nil: violations.append(Violation(path: "/method", message: "is required", suggestion: nil))
    default: violations.append(Violation(path: "/method", message: "must be a string", suggestion: nil))
    }
    var interval = 60
    if let raw = object["intervalSeconds"] {
      if case .number(let n) = raw, n.isInteger, let seconds = n.intValue, seconds >= 1 {
        interval = seconds
      } else {
        violations.append(
          Violation(path: "/intervalSeconds", message: "must be an integer ≥ 1 (seconds)", suggestion: nil))
      }
    }
    for key in object.keys where !["method", "params", "intervalSeconds"].contains(key) {
      violations.append(Violation(path: "/\(key)", message: "is not a parameter of radar.subscribe", suggestion: nil))
    }
    var request: RadarRequest? = nil
    if let radarMethod {
      do {
        request = try radarMethod.makeRequest(params: object["params"], pointerPrefix: "/params")
      } catch {
        violations += error.violations
      }
    }
    guard violations.isEmpty, let request else { throw ResponseError(InvalidParams(violations: violations)) }

    let id: SubscriptionID
    do {
      id = try await hub.subscribe(request, interval: .seconds(interval)) { id, update in
        await context.notify("radar/update", Self.notification(id, update))
      }
    } catch {
      switch error {
      case .limitReached(let limit):
        throw ResponseError(
          Self.limitReached, "Too many subscriptions: the limit is \(limit) (--max-subscriptions)",
          data: ["limit": .number(JSONNumber(limit))])
      case .stopped:
        throw ResponseError(.serverCancelled, "Request cancelled by the server: subscriptions have ended (shutdown)")
      }
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
