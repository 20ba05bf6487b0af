import Foundation
import Radar
import SystemSupport
import TestSupport
import Testing

/// `--demo-latency`: a simulated upstream wait that cancellation ends at once.
@Suite("Demo backend: latency and cancellation")
struct DemoLatencyTests {
  let request = DemoFixture.request(DemoFixture.ct, "CA", [("dateRange", "1d")])

  @Test("fetch waits the latency, then answers what result(for:) answers")
  func latency() async throws {
    let backend = DemoBackend(latency: .milliseconds(80), now: { DemoFixture.now })
    #expect(backend.name == "demo")
    let clock = ContinuousClock()
    let start = clock.now
    let answer = try await backend.fetch(request)
    #expect(clock.now - start >= .milliseconds(80))
    #expect(answer == (try backend.result(for: request)))
  }

  @Test("cancelling the task ends the wait with CancellationError", .timeLimit(.minutes(10)))
  func cancellation() async throws {
    // An hour of latency: only cancellation can end this test within its time limit.
    let backend = DemoBackend(latency: .seconds(3600), now: { DemoFixture.now })
    let request = request
    let calling = Locked(false)
    let task = Task {
      calling.withLock { $0 = true }
      return try await backend.fetch(request)
    }
    #expect(await waitUntil { calling.withLock { $0 } })  // the cancel comes while the call waits
    task.cancel()
    let outcome = await task.result
    #expect(throws: CancellationError.self) { try outcome.get() }
  }

  @Test("errors come through fetch as RadarError")
  func errorsThroughFetch() async {
    let bad = DemoFixture.request(DemoFixture.ct, "ENTRY_TYPE", [("limitPerGroup", "4")])
    await #expect(throws: RadarError.self) { try await DemoFixture.backend.fetch(bad) }
  }
}
