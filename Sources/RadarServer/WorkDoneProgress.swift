import JSON
import JSONRPC
import SystemSupport

/// LSP work-done progress for one request (`workDoneToken`): exactly one `begin` and one
/// `end` per token, `report`s only in between — also when the request fails or is cancelled.
///
/// All sends happen under one lock with a non-suspending enqueue, so a late `report` (a retry
/// scheduled just as the request is cancelled) can never follow the `end`. If the connection
/// answers the request itself (-32800 / -32802), it sends the `end` first through
/// ``RequestContext/onCancellation(send:)``.
final class WorkDoneProgress: Sendable {
  private let token: JSONValue
  private let context: RequestContext
  private let ended = Locked(false)

  init(token: JSONValue, context: RequestContext) {
    self.token = token
    self.context = context
  }

  /// Sends `begin`, and arranges for `end` to precede an answer the connection sends itself.
  func begin(title: String, message: String? = nil) {
    var value: JSONObject = ["kind": "begin", "title": .string(title), "cancellable": true]
    if let message { value["message"] = .string(message) }
    send(.object(value), ending: false)
    let endOnCancel = Outgoing.notification(
      method: ServerNotification.progress, params: Self.params(token, ["kind": "end", "message": "cancelled"]))
    context.onCancellation { [self] in
      ended.withLock { done -> JSONValue? in
        if done { return nil }
        done = true
        return endOnCancel
      }
    }
  }

  func report(_ message: String) {
    send(["kind": "report", "message": .string(message)], ending: false)
  }

  func end(_ message: String) {
    send(["kind": "end", "message": .string(message)], ending: true)
  }

  private func send(_ value: JSONValue, ending: Bool) {
    ended.withLock { done in
      guard !done else { return }
      if ending { done = true }
      context.notifyNow(ServerNotification.progress, Self.params(token, value))
    }
  }

  private static func params(_ token: JSONValue, _ value: JSONValue) -> JSONValue {
    ["token": token, "value": value]
  }
}
