import JSON
import SystemSupport

/// Gathers the responses of one batch; the batch is answered with one array once every
/// request in it has its response (in any order, as JSON-RPC allows).
final class BatchCollector: Sendable {
  private struct State {
    var responses: [JSONValue] = []
    var actions: [@Sendable () -> Void] = []
    var remaining: Int
  }

  private let state: Locked<State>

  init(expected: Int) { state = Locked(State(remaining: expected)) }

  /// Adds one response (and what to run once the batch answer is queued); returns the whole
  /// array and every such action when it was the last response expected.
  func add(_ response: JSONValue, then actions: [@Sendable () -> Void] = [])
    -> (responses: [JSONValue], actions: [@Sendable () -> Void])?
  {
    state.withLock { s in
      s.responses.append(response)
      s.actions += actions
      s.remaining -= 1
      return s.remaining == 0 ? (s.responses, s.actions) : nil
    }
  }
}

/// Where a request's response goes: straight to output, or into its batch.
enum Destination: Sendable {
  case single
  case batch(BatchCollector)
}
