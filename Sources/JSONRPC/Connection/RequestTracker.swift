import JSON
import SystemSupport

/// Admission, bookkeeping and exactly-once answering for requests in flight.
///
/// At most `maxInFlight` requests run at once; past that they wait in a FIFO of at most
/// `maxQueued`; only when that is full does ``admit(_:launch:)`` block the reader thread,
/// which is the server's backpressure. A slot is freed when a response is *queued* for output
/// (not when it is written), so a client that keeps writing while it reads cannot deadlock
/// the server against itself.
///
/// Every request is answered exactly once even when its completion races a
/// `$/cancelRequest`: whoever calls ``claim(_:)`` first owns the answer.
final class RequestTracker: Sendable {
  /// A request waiting for or holding a slot.
  struct Work: Sendable {
    let token: UInt64
    let request: JSONRPCRequest
    let destination: Destination
  }

  enum Admission {
    case started
    case queued
    /// The id is already used by a request in flight.
    case duplicate
  }

  enum CancelOutcome {
    case notFound
    /// The request had not started; it has left the queue and must be answered -32800.
    case dequeued(Work)
    /// The request was running; its answer is claimed and must be -32800 (after the epilogue's
    /// notification, if any), then ``finish(_:)``.
    case claimed(Work, Epilogue?)
  }

  private struct Entry {
    let work: Work
    var task: Task<Void, Never>? = nil
    var answered = false
    var started = false
    var epilogue: (@Sendable () -> JSONValue?)? = nil
    var afterResponse: [@Sendable () -> Void] = []
  }

  /// What the connection must send before answering a request it cancels itself.
  typealias Epilogue = @Sendable () -> JSONValue?

  private struct State {
    var nextToken: UInt64 = 1
    var entries: [UInt64: Entry] = [:]
    var tokens: [RequestID: UInt64] = [:]  // non-null ids only
    var queue: [UInt64] = []
    var queueHead = 0
    var running = 0
    var queuedCount: Int { queue.count - queueHead }
  }

  let maxInFlight: Int
  let maxQueued: Int
  private let state = Condition(State())

  init(maxInFlight: Int, maxQueued: Int) {
    self.maxInFlight = max(1, maxInFlight)
    self.maxQueued = max(0, maxQueued)
  }

  /// Registers `request` (in the reader thread, before anything else can see it, so a cancel
  /// that follows it in the input always finds it). Starts it through `launch` when a slot is
  /// free, else queues it, blocking while the queue is full.
  func admit(_ request: JSONRPCRequest, destination: Destination, launch: (Work) -> Task<Void, Never>) -> Admission {
    let outcome: (Admission, Work?)? = state.wait(
      until: { s in
        if request.id != .null, s.tokens[request.id] != nil { return true }
        return s.running < self.maxInFlight || s.queuedCount < self.maxQueued
      },
      { s in
        if request.id != .null, s.tokens[request.id] != nil { return (.duplicate, nil) }
        let token = s.nextToken
        s.nextToken += 1
        let work = Work(token: token, request: request, destination: destination)
        var entry = Entry(work: work)
        if request.id != .null { s.tokens[request.id] = token }
        if s.running < self.maxInFlight {
          s.running += 1
          entry.started = true
          s.entries[token] = entry
          return (.started, work)
        }
        s.entries[token] = entry
        s.queue.append(token)
        return (.queued, nil)
      })
    guard let (admission, work) = outcome else { return .duplicate }
    if let work { attach(launch(work), to: work.token) }
    return admission
  }

  /// Takes ownership of the answer for `token`; false when it was already answered (cancelled).
  func claim(_ token: UInt64) -> Bool {
    state.withLock { s in
      guard var entry = s.entries[token], !entry.answered else { return false }
      entry.answered = true
      s.entries[token] = entry
      return true
    }
  }

  /// Releases the slot of an answered request and starts the next queued one through `launch`.
  func finish(_ token: UInt64, launch: (Work) -> Task<Void, Never>) {
    let next: Work? = state.mutateAndBroadcast { s in
      guard let entry = s.entries.removeValue(forKey: token) else { return nil }
      if entry.work.request.id != .null, s.tokens[entry.work.request.id] == token {
        s.tokens[entry.work.request.id] = nil
      }
      guard entry.started else { return nil }
      s.running -= 1
      while s.queueHead < s.queue.count {
        let nextToken = s.queue[s.queueHead]
        s.queueHead += 1
        if s.queueHead > 1024, s.queueHead * 2 > s.queue.count {
          s.queue.removeFirst(s.queueHead)
          s.queueHead = 0
        }
        guard var nextEntry = s.entries[nextToken], !nextEntry.started else { continue }
        nextEntry.started = true
        s.entries[nextToken] = nextEntry
        s.running += 1
        return nextEntry.work
      }
      return nil
    }
    if let next { attach(launch(next), to: next.token) }
  }

  /// Cancels the request with `id`, if it is still in flight.
  func cancel(_ id: RequestID) -> CancelOutcome {
    let (outcome, task): (CancelOutcome, Task<Void, Never>?) = state.mutateAndBroadcast { s in
      guard id != .null, let token = s.tokens[id], var entry = s.entries[token], !entry.answered else {
        return (.notFound, nil)
      }
      if !entry.started {
        s.entries[token] = nil
        s.tokens[id] = nil
        if let index = s.queue[s.queueHead...].firstIndex(of: token) { s.queue.remove(at: index) }
        return (.dequeued(entry.work), nil)
      }
      entry.answered = true
      s.entries[token] = entry
      return (.claimed(entry.work, entry.epilogue), entry.task)
    }
    task?.cancel()
    return outcome
  }

  /// Waits until nothing is running or queued, or `deadline` passes. True when drained.
  func waitUntilIdle(deadline: Deadline) -> Bool {
    state.wait(until: { $0.entries.isEmpty }, deadline: deadline) { _ in true } ?? false
  }

  /// Claims every request still in flight (after a drain deadline) and cancels its task.
  func claimAll() -> [(Work, Epilogue?)] {
    let (works, tasks): ([(Work, Epilogue?)], [Task<Void, Never>]) = state.withLock { s in
      var works: [(Work, Epilogue?)] = []
      var tasks: [Task<Void, Never>] = []
      for (token, var entry) in s.entries where !entry.answered {
        entry.answered = true
        s.entries[token] = entry
        works.append((entry.work, entry.epilogue))
        if let task = entry.task { tasks.append(task) }
      }
      return (works, tasks)
    }
    for task in tasks { task.cancel() }
    return works
  }

  /// Registers what to send before a cancellation answer of the request `token` (its
  /// `$/progress` `end`), so that notification still precedes the response.
  func setEpilogue(_ token: UInt64, _ epilogue: @escaping Epilogue) {
    state.withLock { s in s.entries[token]?.epilogue = epilogue }
  }

  /// Registers `action` to run once the response of `token` is queued for output.
  func addAfterResponse(_ token: UInt64, _ action: @escaping @Sendable () -> Void) {
    state.withLock { s in s.entries[token]?.afterResponse.append(action) }
  }

  /// Takes the after-response actions of `token` (when its handler's answer is delivered).
  func takeAfterResponse(_ token: UInt64) -> [@Sendable () -> Void] {
    state.withLock { s in
      guard let actions = s.entries[token]?.afterResponse, !actions.isEmpty else { return [] }
      s.entries[token]?.afterResponse = []
      return actions
    }
  }

  /// Requests running and waiting.
  var counts: (running: Int, queued: Int) {
    state.withLock { s in (s.running, s.entries.count - s.running) }
  }

  private func attach(_ task: Task<Void, Never>, to token: UInt64) {
    let cancelNow = state.withLock { s -> Bool in
      guard var entry = s.entries[token] else { return false }
      entry.task = task
      s.entries[token] = entry
      return entry.answered
    }
    if cancelNow { task.cancel() }
  }
}
