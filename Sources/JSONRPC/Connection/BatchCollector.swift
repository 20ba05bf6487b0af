import JSON
import Synchronization

/// Gathers the responses of one batch; the batch is answered with one array once every
/// request in it has its response (in any order, as JSON-RPC allows).
final class BatchCollector: Sendable {
  private struct State {
    var responses: [JSONValue] = []
    var remaining: Int
  }

  private let state: Mutex<State>

  init(expected: Int) { state = Mutex(State(remaining: expected)) }

  /// Adds one response; returns the whole array when it was the last one expected.
  func add(_ response: JSONValue) -> [JSONValue]? {
    state.withLock { s in
      s.responses.append(response)
      s.remaining -= 1
      return s.remaining == 0 ? s.responses : nil
    }
  }
}

/// Where a request's response goes: straight to output, or into its batch.
enum Destination: Sendable {
  case single
  case batch(BatchCollector)
}
