import JSON
import Testing

@testable import Radar

/// Contract §7: the demo refuses an answer larger than `--max-message-bytes` before building it,
/// and a cancelled request stops its work.
@Suite("Demo backend: bounded work")
struct DemoBoundedWorkTests {
  /// Three series of a week in 15-minute buckets: a few hundred kilobytes.
  private let items: [(String, String)] = [
    ("dateRange", "7d"), ("dateRange", "7d"), ("dateRange", "7d"), ("aggInterval", "15m"), ("name", "a"),
    ("name", "b"), ("name", "c"),
  ]

  private func backend(_ limit: Int) -> DemoBackend { DemoBackend(maxAnswerBytes: limit, now: { DemoFixture.now }) }

  private var request: RadarRequest { DemoFixture.request(DemoFixture.ct, "CA", items) }

  @Test("the estimate is a lower bound close to the real size, JSON and CSV")
  func estimateIsALowerBound() throws {
    for csv in [false, true] {
      let items = self.items + (csv ? [("format", "CSV")] : [])
      let request = DemoFixture.request(DemoFixture.ct, "CA", items)
      let real = try DemoFixture.backend.result(for: request)
      let written = csv ? real.value["csv"]!.stringValue!.utf8.count : JSONWriter.bytes(real.value).count
      var estimate = 0
      do {
        _ = try backend(1).result(for: request)
      } catch {
        guard case .answerTooLarge(let bytes, let limit) = error else { throw error }
        estimate = bytes
        #expect(limit == 1)
      }
      #expect(estimate > 0 && estimate <= written, "estimate \(estimate), written \(written)")
      #expect(estimate * 3 >= written, "estimate \(estimate) far below the \(written) bytes written")
      // What the server counts for the answer it built matches what is written to within 5 %.
      #expect(abs(real.byteCount - written) * 20 <= written, "byteCount \(real.byteCount), written \(written)")
    }
  }

  @Test("an answer that fits is built; one larger than the limit is refused")
  func refusesPastTheLimit() throws {
    let real = try DemoFixture.backend.result(for: request)
    #expect(try backend(real.byteCount).result(for: request) == real)
    #expect(throws: RadarError.answerTooLarge(estimatedBytes: real.byteCount, limit: real.byteCount - 1)) {
      try backend(real.byteCount - 1).result(for: request)
    }
    // Refused from the estimate, before any value is generated: the error reports the estimate.
    var estimated = 0
    do {
      _ = try backend(real.byteCount / 4).result(for: request)
      Issue.record("not refused")
    } catch {
      guard case .answerTooLarge(let bytes, _) = error else { throw error }
      estimated = bytes
    }
    #expect(estimated > real.byteCount / 4 && estimated < real.byteCount)
  }

  @Test("a cancelled request stops between series and builds nothing more")
  func cancellationStopsTheWork() throws {
    var checks = 0
    let answer = try DemoAnswer.make(
      request, now: DemoFixture.nowSeconds,
      isCancelled: {
        checks += 1
        return checks >= 2  // cancelled after the first series was generated
      })
    #expect(answer == nil)
    #expect(checks == 2)
    // Never cancelled: the same request is answered.
    #expect(try DemoAnswer.make(request, now: DemoFixture.nowSeconds, isCancelled: { false }) != nil)
  }
}
