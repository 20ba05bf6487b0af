public import JSON

/// What the server plugs into a ``Connection``: the methods it serves.
///
/// The connection itself handles the transport-level methods — `$/cancelRequest`,
/// `window/workDoneProgress/cancel`, `shutdown` and `exit` — because they must act at once,
/// never behind the request queue, and it runs `initialize` as a barrier (contract §4).
public protocol RequestHandler: Sendable {
  /// Handles one request and returns its result. Throw an error that conforms to
  /// ``ResponseErrorConvertible`` (``ResponseError`` does) for a JSON-RPC error; `CancellationError`
  /// becomes -32800; any other error is a bug and becomes -32603.
  func handle(_ request: JSONRPCRequest, context: RequestContext) async throws -> JSONValue

  /// Handles a notification (unknown ones should be ignored).
  func handle(_ notification: JSONRPCNotification, context: RequestContext) async

  /// The handler's notifications (LSP's `initialized`): one sent with an id, a client's slip, is
  /// handled as the notification and answered `null` by the connection — -32600 after `shutdown`,
  /// as every request. Read once, when the connection is made. None by default.
  var notificationMethods: Set<String> { get }

  /// `shutdown` was received: stop background work (subscriptions). Runs before the requests in
  /// flight are given their grace, and so before `shutdown`'s `null`.
  func shutdown() async

  /// Input has ended: the connection is draining the requests in flight, then exits.
  func inputClosed() async

  /// The answer to `request` given at once, on the connection's reader thread, or `nil` to
  /// handle it the normal way (``handle(_:context:)`` in a task of its own).
  ///
  /// What may be answered here: work that never waits, never blocks and streams nothing, such as
  /// counters read under a lock or a result already in memory. It runs on the thread that reads
  /// input, so anything slow here holds back every message behind it; it gets no
  /// ``RequestContext`` (no notifications, no progress, no early ``RequestContext/respond(_:)``)
  /// and cannot be cancelled. The connection asks only for a request that carries no LSP
  /// `workDoneToken`/`partialResultToken` (those need begin/end and partial results), whose id
  /// is not already in flight (that one is -32600), and that came after `initialize` was handled
  /// and before `shutdown` (contract §4). Its answer is queued as the response at once when
  /// output has room for it (for a batch member: when it does not complete the batch), so it
  /// precedes the answer of anything read later; else the request is admitted as any other, with
  /// this answer (not asked again), and waits for room in flight — never holding up the reader
  /// (contract §3 backpressure). Either way it precedes `shutdown`'s `null`.
  ///
  /// - Parameter load: requests being handled (not counting this one) and requests waiting for a
  ///   slot, as ``RequestContext/load`` reads them.
  /// - Returns: the result or error to answer with; `nil` (the default) for the normal way.
  func answerAtOnce(_ request: JSONRPCRequest, load: (running: Int, queued: Int)) -> Result<JSONValue, ResponseError>?
}

extension RequestHandler {
  /// Nothing is answered at once: every request is handled in its own task.
  public func answerAtOnce(_ request: JSONRPCRequest, load: (running: Int, queued: Int)) -> Result<
    JSONValue, ResponseError
  >? { nil }
}

extension RequestHandler {
  public var notificationMethods: Set<String> { [] }
}

/// What a handler may do while it runs: stream what its request causes, answer it, read the
/// connection's load.
///
/// Everything sent through a request's context — notifications, LSP work-done progress, partial
/// results, the response — leaves through that request's one ordered path (contract §8): in the
/// order sent, all before the response, nothing after it.
public struct RequestContext: Sendable {
  let stream: RequestStream?
  let output: OutputQueue
  let tracker: RequestTracker

  /// The request's LSP `workDoneToken` (a string or an integer), if it sent one.
  public var workDoneToken: JSONValue? { stream?.workDoneToken }

  /// The request's LSP `partialResultToken`, if it sent one.
  public var partialResultToken: JSONValue? { stream?.partialResultToken }

  /// Sends a notification for this request; dropped once it is answered. For a notification's
  /// context (no request) it is sent on the connection.
  public func notify(_ method: String, _ params: JSONValue?) async {
    if let stream {
      await stream.notify(method, params)
    } else {
      await output.enqueue(Outgoing.notification(method: method, params: params))
    }
  }

  /// Sends a notification that belongs to the connection rather than to this request, and so may
  /// follow its response: a subscription's updates, for example.
  public func notifyOnConnection(_ method: String, _ params: JSONValue?) async {
    await output.enqueue(Outgoing.notification(method: method, params: params))
  }

  /// LSP work-done progress `begin` (`cancellable: true`) for the request's `workDoneToken`; does
  /// nothing without one. Its `end` is then written before the response whoever answers: "done",
  /// "failed: …", "cancelled" or "cancelled by the server".
  public func beginWorkDone(title: String, message: String? = nil) {
    stream?.beginWorkDone(title: title, message: message)
  }

  /// LSP work-done progress `report`, between `begin` and the response only. Never waits.
  public func reportWorkDone(_ message: String) {
    stream?.reportWorkDone(message)
  }

  /// One LSP partial result, `$/progress` `{"token": partialResultToken, "value": value}`;
  /// dropped without a token or once the request is answered.
  public func sendPartialResult(_ value: JSONValue) async {
    guard let stream, let token = stream.partialResultToken else { return }
    await stream.notify("$/progress", ["token": token, "value": value])
  }

  /// Answers the request now with `result`, before the handler returns, and waits until the
  /// response is queued (for a batch member: the batch's array). Returns false when the request
  /// had been answered already (cancelled, or given up at shutdown): the client never sees
  /// `result`, and the handler must undo what it made for it. The handler's own return value is
  /// then ignored. Lets a handler act on the client knowing the answer, in order: a subscription
  /// starts its updates only after the answer that carries its id.
  public func respond(_ result: JSONValue) async -> Bool {
    guard let stream else { return false }
    guard await stream.respond(.success(result)) else { return false }
    await stream.waitUntilResponseQueued()
    return true
  }

  /// Requests being handled right now (including the caller) and requests waiting for a slot.
  public var load: (running: Int, queued: Int) { tracker.counts }
}
