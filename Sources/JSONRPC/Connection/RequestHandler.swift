public import JSON

/// What the server plugs into a ``Connection``: the methods it serves.
///
/// The connection itself handles the transport-level methods — `$/cancelRequest`,
/// `shutdown` and `exit` — because they must act at once, never behind the request queue.
public protocol RequestHandler: Sendable {
  /// Handles one request and returns its result. Throw ``ResponseError`` for a JSON-RPC error;
  /// `CancellationError` becomes -32800; any other error is a bug and becomes -32603.
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

  /// Sends a notification. It is queued before anything the handler sends afterwards, so
  /// progress and partial results always precede the response they belong to.
  public func notify(_ method: String, _ params: JSONValue?) async {
    await output.enqueue(Outgoing.notification(method: method, params: params))
  }

  /// Requests being handled right now (including the caller) and requests waiting for a slot.
  public var load: (running: Int, queued: Int) { tracker.counts }
}
