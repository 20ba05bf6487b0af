import JSON
import SystemSupport

/// Admission and bookkeeping for requests in flight.
///
/// At most `maxInFlight` requests hold a slot at once; past that they wait in a FIFO of at most
/// `maxQueued`; only when that is full does ``admit(_:launch:)`` block the reader thread, which
/// is the server's backpressure. A slot is freed when the request is *answered* — its response
/// queued, by its handler or by the connection (see ``RequestStream``) — not when it is
/// written, so a client that keeps writing while it reads cannot deadlock the server against
/// itself. So a request counts as done — no longer in ``counts`` — once it is answered (contract
/// §3). It stays tracked until its handler's task has also ended (a cancelled handler unwinds
/// after its -32800 is out): that is what "idle" waits for.
///
/// Requests are found by id (`$/cancelRequest`) and by LSP work-done token
/// (`window/workDoneProgress/cancel`) while they are unanswered; both are registered by the
/// reader thread before it reads the next message, so a cancel that follows a request in the
/// input always finds it.
final class RequestTracker: Sendable {
  /// A request waiting for or holding a slot.
  struct Work: Sendable {
    let request: JSONRPCRequest
    let stream: RequestStream
    /// The answer, when the handler gave it at once while output was full: the request then
    /// waits for room as any other does, and its task only answers it.
    var known: Result<JSONValue, ResponseError>? = nil
  }

  enum Admission {
    case started
    case queued
    /// The id is already used by a request in flight.
    case duplicate
    /// The connection is ending (`exit`, a signal): nothing more is admitted.
    case closed
  }

  private struct Entry {
    let work: Work
    var task: Task<Void, Never>? = nil
    var started = false
    var answered = false
    var taskEnded = false
    /// The connection answered it and wants its work stopped.
    var cancelled = false
  }

  private struct State {
    var entries: [ObjectIdentifier: Entry] = [:]
    var ids: [RequestID: ObjectIdentifier] = [:]  // unanswered, non-null ids only
    var workDoneTokens: [JSONValue: [ObjectIdentifier]] = [:]  // unanswered only
    var queue: [ObjectIdentifier] = []
    var queueHead = 0
    var slots = 0  // started and unanswered
    var unanswered = 0
    var running = 0  // entries started and unanswered
    var waiting = 0  // entries not started and unanswered
    var closed = false
    var queuedCount: Int { queue.count - queueHead }
  }

  let maxInFlight: Int
  let maxQueued: Int
  private let state = Condition(State())

  init(maxInFlight: Int, maxQueued: Int) {
    self.maxInFlight = max(1, maxInFlight)
    self.maxQueued = max(0, maxQueued)
  }

  /// Registers `work` (in the reader thread, before anything else can see it). Starts it through
  /// `launch` when a slot is free, else queues it, blocking while the queue is full.
  func admit(_ work: Work, launch: (Work) -> Task<Void, Never>) -> Admission {
    let key = ObjectIdentifier(work.stream)
    let id = work.request.id
    let admission: Admission? = state.wait(
      until: { s in
        s.closed || (id != .null && s.ids[id] != nil) || s.slots < self.maxInFlight || s.queuedCount < self.maxQueued
      },
      { s in
        if s.closed { return .closed }
        if id != .null, s.ids[id] != nil { return .duplicate }
        var entry = Entry(work: work)
        if id != .null { s.ids[id] = key }
        if let token = work.stream.workDoneToken { s.workDoneTokens[token, default: []].append(key) }
        s.unanswered += 1
        if s.slots < self.maxInFlight {
          s.slots += 1
          s.running += 1
          entry.started = true
          s.entries[key] = entry
          return .started
        }
        s.entries[key] = entry
        s.waiting += 1
        s.queue.append(key)
        return .queued
      })
    if admission == .started { attach(launch(work), to: key) }
    return admission ?? .closed
  }

  /// Called when the request's answer is decided, before any of it is queued (``RequestStream``'s
  /// `onDecided`): frees its id and its work-done token, so that a client that has read the
  /// answer may reuse the id at once (JSON-RPC 2.0 asks ids to be unique among requests in
  /// flight only). Its slot and its count stay until ``answered(_:launch:)``.
  func decided(_ stream: RequestStream) {
    let key = ObjectIdentifier(stream)
    state.withLock { s in forget(stream, key, in: &s) }
  }

  private func forget(_ stream: RequestStream, _ key: ObjectIdentifier, in s: inout State) {
    if stream.id != .null, s.ids[stream.id] == key { s.ids[stream.id] = nil }
    if let token = stream.workDoneToken, s.workDoneTokens[token] != nil {
      s.workDoneTokens[token]?.removeAll { $0 == key }
      if s.workDoneTokens[token]?.isEmpty == true { s.workDoneTokens[token] = nil }
    }
  }

  /// Called once the request's response is queued — for a batch member, once its batch's array is
  /// (``RequestStream``'s `onAnswered`): frees its id (if ``decided(_:)`` has not) and its slot,
  /// and starts the next queued request through `launch`.
  func answered(_ stream: RequestStream, launch: (Work) -> Task<Void, Never>) {
    let key = ObjectIdentifier(stream)
    let next: Work? = state.mutateAndBroadcast { s in
      guard var entry = s.entries[key], !entry.answered else { return nil }
      entry.answered = true
      s.unanswered -= 1
      if entry.started { s.running -= 1 } else { s.waiting -= 1 }
      forget(stream, key, in: &s)
      if entry.taskEnded || !entry.started {
        s.entries[key] = nil
      } else {
        s.entries[key] = entry
      }
      guard entry.started else { return nil }
      s.slots -= 1
      return s.closed ? nil : takeNext(&s)
    }
    if let next { attach(launch(next), to: ObjectIdentifier(next.stream)) }
  }

  /// Called when the handler's task of `stream` has ended.
  func taskEnded(_ stream: RequestStream) {
    let key = ObjectIdentifier(stream)
    state.mutateAndBroadcast { s in
      guard var entry = s.entries[key] else { return }
      entry.taskEnded = true
      if entry.answered {
        s.entries[key] = nil
      } else {
        s.entries[key] = entry
      }
    }
  }

  private func takeNext(_ s: inout State) -> Work? {
    while s.queueHead < s.queue.count {
      let key = s.queue[s.queueHead]
      s.queueHead += 1
      if s.queueHead > 1024, s.queueHead * 2 > s.queue.count {
        s.queue.removeFirst(s.queueHead)
        s.queueHead = 0
      }
      guard var entry = s.entries[key], !entry.started, !entry.answered else { continue }
      entry.started = true
      s.entries[key] = entry
      s.slots += 1
      s.waiting -= 1
      s.running += 1
      return entry.work
    }
    return nil
  }

  /// The unanswered request with `id`, for the caller to answer -32800 (and then
  /// ``cancelTask(of:)``).
  func cancel(_ id: RequestID) -> Work? {
    state.withLock { s in
      guard id != .null, let key = s.ids[id], let entry = s.entries[key], !entry.answered else { return nil }
      return entry.work
    }
  }

  /// The unanswered requests that own the work-done `token`.
  func cancel(workDoneToken token: JSONValue) -> [Work] {
    state.withLock { s in
      (s.workDoneTokens[token] ?? []).compactMap { key in
        guard let entry = s.entries[key], !entry.answered else { return nil }
        return entry.work
      }
    }
  }

  /// Every unanswered request (running or queued): what the connection answers -32802 when a
  /// deadline passes, at `exit` or on a signal. With `close`, nothing is admitted afterwards and
  /// no queued request starts.
  func takeUnanswered(close: Bool = false) -> [Work] {
    state.mutateAndBroadcast { s in
      if close { s.closed = true }
      return s.entries.values.filter { !$0.answered }.map(\.work)
    }
  }

  /// Cancels the task of a request the connection has answered itself, so its work stops. Only
  /// after the answer: a handler that sees the cancellation first must not answer -32800 where
  /// the connection means -32802.
  func cancelTask(of stream: RequestStream) {
    let task = state.withLock { s -> Task<Void, Never>? in
      let key = ObjectIdentifier(stream)
      s.entries[key]?.cancelled = true
      return s.entries[key]?.task
    }
    task?.cancel()
  }

  /// Waits until every request admitted so far is answered, or `deadline` passes. True when so.
  func waitUntilAnswered(deadline: Deadline) -> Bool {
    state.wait(until: { $0.unanswered == 0 }, deadline: deadline) { _ in true } ?? false
  }

  /// Waits until every request is answered and its task has ended, or `deadline` passes.
  func waitUntilIdle(deadline: Deadline) -> Bool {
    state.wait(until: { $0.entries.isEmpty }, deadline: deadline) { _ in true } ?? false
  }

  /// Requests running (started and unanswered) and requests waiting for a slot: what is in flight
  /// for the client (contract §3: a request counts as done when its response is queued).
  var counts: (running: Int, queued: Int) {
    state.withLock { s in (s.running, s.waiting) }
  }

  /// ``counts``, or `nil` when `id` is already used by a request in flight (or nothing more is
  /// admitted): what the reader asks before it answers a request at once, in one look.
  func loadUnlessInFlight(_ id: RequestID) -> (running: Int, queued: Int)? {
    state.withLock { s in
      if s.closed || (id != .null && s.ids[id] != nil) { return nil }
      return (s.running, s.waiting)
    }
  }

  private func attach(_ task: Task<Void, Never>, to key: ObjectIdentifier) {
    let cancelNow = state.withLock { s -> Bool in
      guard var entry = s.entries[key] else { return false }
      entry.task = task
      s.entries[key] = entry
      return entry.cancelled
    }
    if cancelNow { task.cancel() }
  }
}
