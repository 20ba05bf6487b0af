public import JSON

/// What the server plugs into a ``Connection``: the methods it serves.
///
/// The connection itself handles the transport-level methods — `$/cancelRequest`,
/// `shutdown` and `exit` — because they must act at once, never behind the request queue.
public protocol RequestHandler: Sendable {
  /// Handles one request and returns its result. Throw an error that conforms to
  /// ``ResponseErrorConvertible`` (``ResponseError`` does) for a JSON-RPC error; `CancellationError`
  /// becomes -32800; any other error is a bug and becomes -32603.
  func handle(_ request: JSONRPCRequest, context: RequestContext) async throws -> JSONValue

  /// Handles a notification (unknown ones should be ignored).
  func handle(_ notification: JSONRPCNotification, context: RequestContext) async

  /// `shutdown` was received: stop background work (subscriptions). Runs before its `null` answer.
  func shutdown() async

  /// Input has ended: the connection is draining the requests in flight, then exits.
  func inputClosed() async
}

/// What a handler may do while it runs: send notifications, read the connection's load.
public struct RequestContext: Sendable {
  let output: OutputQueue
  let tracker: RequestTracker
  /// The tracker's token of the request being handled (`nil` for notifications).
  let token: UInt64?

  /// Sends a notification. It is queued before anything the handler sends afterwards, so
  /// progress and partial results always precede the response they belong to.
  public func notify(_ method: String, _ params: JSONValue?) async {
    await output.enqueue(Outgoing.notification(method: method, params: params))
  }

  /// Sends a small notification at once, without suspending (it may exceed the output bound:
  /// use it for progress, not for results). Lets a caller order it under its own lock.
  public func notifyNow(_ method: String, _ params: JSONValue?) {
    output.enqueueNow(Outgoing.notification(method: method, params: params))
  }

  /// Registers the notification to send if the connection answers this request itself
  /// (-32800 on `$/cancelRequest`, -32802 at the drain deadline) while the handler still runs:
  /// it is sent just before that answer. `make` returns `nil` when nothing is owed any more
  /// (it must be idempotent with the handler's own final notification: send at most one).
  public func onCancellation(send make: @escaping @Sendable () -> JSONValue?) {
    guard let token else { return }
    tracker.setEpilogue(token, make)
  }

  /// Runs `action` once this request's response is queued for output (for a batch: once the
  /// batch's answer is). Anything `action` sends therefore follows the response — e.g. the first
  /// `radar/update` of a subscription follows the answer that carries its id. Not run when the
  /// connection answers the request itself (see ``onCancellation(send:)``).
  public func afterResponse(_ action: @escaping @Sendable () -> Void) {
    guard let token else { return }
    tracker.addAfterResponse(token, action)
  }

  /// Requests being handled right now (including the caller) and requests waiting for a slot.
  public var load: (running: Int, queued: Int) { tracker.counts }
}
