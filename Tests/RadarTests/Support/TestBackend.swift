import JSON
import SystemSupport

@testable import Radar

/// A backend double: answers with `handler`, and counts calls, concurrency and cancellations.
final class TestBackend: RadarBackend, Sendable {
  typealias Handler = @Sendable (_ request: RadarRequest, _ call: Int) async throws -> RadarResult

  let name: String
  private let handler: Handler
  private struct State {
    var calls = 0
    var inFlight = 0
    var maxInFlight = 0
    var cancelled = 0
    var keys: [String] = []
  }
  private let state = Locked(State())

  init(name: String = "test", handler: @escaping Handler = { request, call in .numbered(call) }) {
    self.name = name
    self.handler = handler
  }

  /// A backend whose calls all wait for `gate`, then answer with their call number.
  static func gated(by gate: Gate) -> TestBackend {
    TestBackend { _, call in
      try await gate.wait()
      return .numbered(call)
    }
  }

  func fetch(_ request: RadarRequest) async throws -> RadarResult {
    let call = state.withLock { state in
      state.calls += 1
      state.inFlight += 1
      state.maxInFlight = max(state.maxInFlight, state.inFlight)
      state.keys.append(request.key)
      return state.calls
    }
    defer { state.withLock { $0.inFlight -= 1 } }
    do {
      return try await handler(request, call)
    } catch is CancellationError {
      state.withLock { $0.cancelled += 1 }
      throw CancellationError()
    }
  }

  var calls: Int { state.withLock { $0.calls } }
  var inFlight: Int { state.withLock { $0.inFlight } }
  var maxInFlight: Int { state.withLock { $0.maxInFlight } }
  var cancelled: Int { state.withLock { $0.cancelled } }
  var keys: [String] { state.withLock { $0.keys } }
}

/// A latch that backend handlers wait on until the test opens it. Waiting is cancellable.
final class Gate: Sendable {
  private struct State {
    var isOpen = false
    var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var nextID: UInt64 = 0
  }
  private let state = Locked(State())

  func wait() async throws {
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let outcome: Result<Void, any Error>? = state.withLock { state in
          if state.isOpen { return .success(()) }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.waiters[id] = continuation
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
      continuation?.resume(throwing: CancellationError())
    }
  }

  func open() {
    let waiters = state.withLock { state in
      state.isOpen = true
      defer { state.waiters = [:] }
      return Array(state.waiters.values)
    }
    for waiter in waiters { waiter.resume() }
  }

  var waiting: Int { state.withLock { $0.waiters.count } }
}

/// Collects progress reports (a `@Sendable` sink for `RadarClient.fetch(progress:)`).
final class ProgressLog: Sendable {
  private let state = Locked<[RadarProgress]>([])
  var handler: @Sendable (RadarProgress) -> Void { { progress in self.state.withLock { $0.append(progress) } } }
  var reports: [RadarProgress] { state.withLock { $0 } }
}

extension RadarResult {
  /// A small JSON result that says which backend call made it.
  static func numbered(_ call: Int, bytes: Int = 16) -> RadarResult {
    RadarResult(value: ["call": .number(JSONNumber(call))], byteCount: bytes)
  }

  var call: Int? { value["call"]?.intValue }
}

extension RadarRequest {
  /// A CT request for `dimension` with the given query items.
  static func ct(_ dimension: String = "CA", _ items: [QueryItem] = [QueryItem("dateRange", "7d")]) -> RadarRequest {
    RadarRequest(
      method: "radar.ct.timeseriesGroups", pathTemplate: "/radar/ct/timeseries_groups/{dimension}",
      path: "/radar/ct/timeseries_groups/\(dimension)", queryItems: items)
  }
}
