import JSON
import SystemSupport

/// The one ordered path of everything a request puts on the wire: its notifications (LSP
/// `$/progress` work-done `begin`/`report`/`end`, partial results), then its response, then
/// nothing (contract §8).
///
/// One lock orders them. Each notification and the response are appended to the
/// ``OutputQueue`` under it (room is reserved first, without the lock, so nobody waits while
/// holding it); the response marks the stream answered, and whatever is sent for the request
/// after that is dropped. Whoever answers first owns the response: the handler with its result
/// or error, or the connection (-32800 on a cancel, -32802 when the shutdown grace runs out, at
/// `exit`, at the end-of-input deadline, on a signal). The other answer is discarded and
/// ``respond(_:)`` says so. A work-done progress that was begun gets its `end`, written just
/// before the response by whoever sends it, so no interleaving can drop the `end` or put it
/// after the response. These are properties of the structure, not of timing.
final class RequestStream: Sendable {
  let id: RequestID
  let destination: Destination
  /// The request's LSP `workDoneToken` (a string or an integer), if it has one.
  let workDoneToken: JSONValue?
  /// The request's LSP `partialResultToken`, if it has one.
  let partialResultToken: JSONValue?
  private let output: OutputQueue
  private let onDecided: (@Sendable (RequestStream) -> Void)?
  private let onAnswered: (@Sendable (RequestStream) -> Void)?
  private let state = Locked(State())

  private struct State {
    var answered = false
    /// `begin` written and `end` not yet.
    var workDoneOpen = false
  }

  /// `onDecided` runs once, under the stream's lock, when the answer is decided and before any
  /// byte of it is queued: what the client can read only after it (freeing the request's id) goes
  /// there. `onAnswered` runs once, after the response is queued — for a batch member that
  /// completed its batch, after the batch's array is (by whoever answered): what waits for
  /// "answered" (end of input, `shutdown`, `exit`) then finds every answer in the output queue.
  init(
    request: JSONRPCRequest, destination: Destination, output: OutputQueue,
    onDecided: (@Sendable (RequestStream) -> Void)? = nil,
    onAnswered: (@Sendable (RequestStream) -> Void)? = nil
  ) {
    self.id = request.id
    self.destination = destination
    self.workDoneToken = Self.progressToken(request.params?["workDoneToken"])
    self.partialResultToken = Self.progressToken(request.params?["partialResultToken"])
    self.output = output
    self.onDecided = onDecided
    self.onAnswered = onAnswered
  }

  /// A progress token as LSP defines it: a string or an integer; anything else is no token.
  static func progressToken(_ value: JSONValue?) -> JSONValue? {
    switch value {
    case .string?: value
    case .number(let n)? where n.isInteger: value
    default: nil
    }
  }

  /// Whether by-name `params` carry a `workDoneToken` or a `partialResultToken` that
  /// ``progressToken(_:)`` takes (comparing only keys of their lengths).
  static func carriesProgressToken(_ params: JSONValue?) -> Bool {
    guard case .object(let object)? = params else { return false }
    return progressToken(object.value(forASCIIKey: "workDoneToken")) != nil
      || progressToken(object.value(forASCIIKey: "partialResultToken")) != nil
  }

  var isAnswered: Bool { state.withLock { $0.answered } }

  // MARK: - Notifications

  /// Sends a notification for this request, waiting for room in the output buffer. Returns
  /// false (and sends nothing) once the request is answered.
  @discardableResult
  func notify(_ method: String, _ params: JSONValue?) async -> Bool {
    let body = JSONWriter.bytes(Outgoing.notification(method: method, params: params))
    let cost = OutputQueue.frameCost(body)
    await output.reserve(cost)
    let sent = state.withLock { s -> Bool in
      guard !s.answered else { return false }
      output.commit(body, reserved: cost)
      return true
    }
    if !sent { output.release(cost) }
    return sent
  }

  /// `$/progress` `begin` for the request's work-done token (once; nothing without a token or
  /// after the response). From then on an `end` precedes the response, whoever answers.
  func beginWorkDone(title: String, message: String?) {
    guard let token = workDoneToken else { return }
    var value: JSONObject = ["kind": "begin", "title": .string(title), "cancellable": true]
    if let message { value["message"] = .string(message) }
    state.withLock { s in
      guard !s.answered, !s.workDoneOpen else { return }
      s.workDoneOpen = true
      output.appendNow(Self.progress(token, .object(value)))
    }
  }

  /// `$/progress` `report`, between `begin` and `end` only.
  func reportWorkDone(_ message: String) {
    guard let token = workDoneToken else { return }
    state.withLock { s in
      guard !s.answered, s.workDoneOpen else { return }
      output.appendNow(Self.progress(token, ["kind": "report", "message": .string(message)]))
    }
  }

  static func progress(_ token: JSONValue, _ value: JSONValue) -> JSONValue {
    Outgoing.notification(method: "$/progress", params: ["token": token, "value": value])
  }

  /// The `end` message for an answer: what became of the work.
  static func endMessage(_ outcome: Result<JSONValue, ResponseError>) -> String {
    switch outcome {
    case .success: "done"
    case .failure(let error) where error.code == .requestCancelled: "cancelled"
    case .failure(let error) where error.code == .serverCancelled: "cancelled by the server"
    case .failure(let error): "failed: \(error.message)"
    }
  }

  // MARK: - The response

  /// Answers the request with `outcome`, unless it is answered already. Returns whether this
  /// was the answer. Waits for room in the output buffer.
  @discardableResult
  func respond(_ outcome: Result<JSONValue, ResponseError>) async -> Bool {
    let answer = Answer(id: id, outcome: outcome, destination: destination)
    if let cost = answer.cost { await output.reserve(cost) }
    let (answered, batch) = settle(answer)
    if let (array, collector) = batch {
      await output.enqueue(array)
      collector.markWritten()
    }
    finish(answered)
    return answered
  }

  /// ``respond(_:)`` from a plain thread (the reader, the lifecycle), blocking for room.
  @discardableResult
  func respondBlocking(_ outcome: Result<JSONValue, ResponseError>) -> Bool {
    let answer = Answer(id: id, outcome: outcome, destination: destination)
    if let cost = answer.cost { output.reserveBlocking(cost) }
    let (answered, batch) = settle(answer)
    if let (array, collector) = batch {
      output.enqueueBlocking(array)
      collector.markWritten()
    }
    finish(answered)
    return answered
  }

  /// A response ready to be settled: for a single request encoded, with the room it needs.
  private struct Answer {
    let outcome: Result<JSONValue, ResponseError>
    let response: JSONValue
    let body: [UInt8]?
    var cost: Int? { body.map(OutputQueue.frameCost) }

    init(id: RequestID, outcome: Result<JSONValue, ResponseError>, destination: Destination) {
      self.outcome = outcome
      response = Outgoing.response(id: id, outcome)
      if case .single = destination { body = JSONWriter.bytes(response) } else { body = nil }
    }
  }

  /// Queues `answer` (its room reserved) unless the request is answered already. For a batch
  /// member that completed its batch, returns the batch's array for the caller to queue; the
  /// caller then runs ``finish(_:)`` (after the array is queued: issue F1, an array lost at end
  /// of input or written after `shutdown`'s `null` when "answered" came first).
  private func settle(_ answer: Answer) -> (Bool, (JSONValue, BatchCollector)?) {
    var batch: (JSONValue, BatchCollector)? = nil
    let answered = close(answer.outcome) {
      switch destination {
      case .single: output.commit(answer.body ?? [], reserved: answer.cost ?? 0)
      case .batch(let collector): batch = collector.add(answer.response).map { (.array($0), collector) }
      }
    }
    if !answered, let cost = answer.cost { output.release(cost) }
    return (answered, answered ? batch : nil)
  }

  /// ``respond(_:)`` that never waits for room in the output buffer: the answers the connection
  /// gives to every request left when a signal, `exit`, the `shutdown` grace or the drain
  /// deadline ends them (small frames, one per request in flight or queued).
  @discardableResult
  func respondNow(_ outcome: Result<JSONValue, ResponseError>) -> Bool {
    let response = Outgoing.response(id: id, outcome)
    var complete: [JSONValue]? = nil
    let answered = close(outcome) {
      switch destination {
      case .single: output.appendNow(response)
      case .batch(let collector): complete = collector.add(response)
      }
    }
    if let complete, case .batch(let collector) = destination {
      output.appendNow(.array(complete))
      collector.markWritten()
    }
    finish(answered)
    return answered
  }

  /// Returns once the response is queued for output: at once for a single request; for a
  /// member of a batch, once the batch's array is (what a client sees as "answered").
  func waitUntilResponseQueued() async {
    if case .batch(let collector) = destination { await collector.waitUntilWritten() }
  }

  /// Marks the stream answered and, under the same lock, runs `onDecided` (the id is free before
  /// the client can read the answer: a client that reuses it right after is never refused as a
  /// duplicate), writes the `end` still owed and then the response (`append`). False when it was
  /// answered already.
  private func close(_ outcome: Result<JSONValue, ResponseError>, append: () -> Void) -> Bool {
    state.withLock { s in
      guard !s.answered else { return false }
      s.answered = true
      onDecided?(self)
      if s.workDoneOpen, let token = workDoneToken {
        s.workDoneOpen = false
        output.appendNow(Self.progress(token, ["kind": "end", "message": .string(Self.endMessage(outcome))]))
      }
      append()
      return true
    }
  }

  private func finish(_ answered: Bool) {
    if answered { onAnswered?(self) }
  }
}
