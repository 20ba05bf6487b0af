import JSON
import Testing

/// Requests run concurrently, up to `--max-in-flight`; beyond that they wait in the queue (contract §3).
@Suite struct ConcurrencyTests {
  /// A slow call does not hold back fast ones sent after it: they are answered while it still runs.
  @Test func slowCallDoesNotBlockAFastOne() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000"])
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
    #expect(await server.call(2, "server.stats")?["result"]?["inFlight"] == 1)
    #expect(await server.call(3, "radar.ct.timeseriesGroups", ["dimension": "CA", "format": "X"])?.errorCode == -32602)
    #expect(server.responses(1).isEmpty)
    server.notify("$/cancelRequest", ["id": 1])
    #expect(await server.response(1)?.errorCode == -32800)
  }

  /// With one slot, the second call waits for the first: both answered, one after the other.
  @Test func maxInFlightQueuesTheRest() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "300", "--max-in-flight", "1"])
    let start = ContinuousClock.now
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
    server.request(2, "radar.ct.timeseriesGroups", ["dimension": "TLD", "dateRange": "1d"])
    #expect(await server.waitFor { _ in server.responses(1).count == 1 && server.responses(2).count == 1 })
    #expect(ContinuousClock.now - start >= .milliseconds(600))
    let order = server.messages.compactMap { $0["id"]?.intValue }
    #expect(order == [1, 2])
  }
}
