import JSON
import SystemSupport

/// Gathers the responses of one batch; the batch is answered with one array once every
/// request in it has its response (in any order, as JSON-RPC allows).
final class BatchCollector: Sendable {
  private struct State {
    var responses: [JSONValue] = []
    var remaining: Int
    var written = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state: Condition<State>

  init(expected: Int) { state = Condition(State(remaining: expected)) }

  /// Adds one response; returns the whole array when it was the last response expected. Whoever
  /// gets the array queues it for output and then calls ``markWritten()``.
  func add(_ response: JSONValue) -> [JSONValue]? {
    state.withLock { s in
      s.responses.append(response)
      s.remaining -= 1
      return s.remaining == 0 ? s.responses : nil
    }
  }

  /// Adds one response unless it is the last one expected (which would complete the array, to be
  /// queued); returns whether it was added.
  func addUnlessLast(_ response: JSONValue) -> Bool {
    state.withLock { s in
      guard s.remaining > 1 else { return false }
      s.responses.append(response)
      s.remaining -= 1
      return true
    }
  }

  /// The batch's array is queued for output: wakes ``waitUntilWritten()``.
  func markWritten() {
    let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
      s.written = true
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once the batch's array is queued for output (what a member's response is not,
  /// until every member has answered).
  func waitUntilWritten() async {
    await withCheckedContinuation { continuation in
      let now = state.withLock { s -> Bool in
        if s.written { return true }
        s.waiters.append(continuation)
        return false
      }
      if now { continuation.resume() }
    }
  }

  /// ``waitUntilWritten()`` from a plain thread, up to `deadline`; true when written.
  func waitUntilWritten(deadline: Deadline) -> Bool {
    state.wait(until: { $0.written }, deadline: deadline) { _ in true } ?? false
  }
}

/// Where a request's response goes: straight to output, or into its batch.
enum Destination: Sendable {
  case single
  case batch(BatchCollector)

  /// Queues `response` (for a batch: adds it, and queues the array when it is complete).
  func deliver(_ response: JSONValue, to output: OutputQueue) async {
    switch self {
    case .single:
      await output.enqueue(response)
    case .batch(let collector):
      if let all = collector.add(response) {
        await output.enqueue(.array(all))
        collector.markWritten()
      }
    }
  }

  /// ``deliver(_:to:)`` only when it needs no waiting: for a single response, when output has
  /// room for it; for a batch member, when it does not complete its batch (the array is queued
  /// later, by whoever completes it). False when nothing was delivered.
  func deliverIfRoom(_ response: JSONValue, to output: OutputQueue) -> Bool {
    switch self {
    case .single: output.enqueueIfRoom(response)
    case .batch(let collector): collector.addUnlessLast(response)
    }
  }

  /// ``deliver(_:to:)`` from a plain thread (the reader), blocking while output is full.
  func deliverBlocking(_ response: JSONValue, to output: OutputQueue) {
    switch self {
    case .single:
      output.enqueueBlocking(response)
    case .batch(let collector):
      if let all = collector.add(response) {
        output.enqueueBlocking(.array(all))
        collector.markWritten()
      }
    }
  }
}
