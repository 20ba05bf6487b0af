import JSON
import Radar
import Testing

@testable import RadarProtocol

/// The memo of canonical requests answers exactly what canonicalising afresh answers.
@Suite("Canonical request memo")
struct CanonicalRequestMemoTests {
  func made(_ memo: CanonicalRequestMemo, _ method: RadarMethod, _ text: String) -> Result<RadarRequest, InvalidParams>
  {
    let bytes = Array(text.utf8)
    do {
      return .success(try memo.request(method, params: try JSONParser.parse(bytes), paramsBytes: bytes))
    } catch let error as InvalidParams {
      return .failure(error)
    } catch {
      Issue.record("unexpected \(error)")
      return .failure(InvalidParams(violations: []))
    }
  }

  func fresh(_ method: RadarMethod, _ text: String, limits: RequestLimits) -> Result<RadarRequest, InvalidParams> {
    do {
      return .success(try method.makeRequest(params: Fixtures.json(text), limits: limits))
    } catch {
      return .failure(error)
    }
  }

  static let params = [
    #"{"dimension":"LOCATION","dateRange":["7d"],"aggInterval":"1h","location":["US,DE"],"asn":["13335"],"product":["HTTP"],"name":["main"],"normalization":"PERCENTAGE","limitPerGroup":10,"format":"JSON"}"#,
    #"{"dimension":"LOCATION","dateRange":"7d","series":[{"name":"us","location":"US"},{"name":"pt","location":"PT"}]}"#,
    #"{"dimension":"LOCATION","dateStart":"2026-01-02T00:00:00+02:00","dateEnd":"2026-01-03T00:00:00Z"}"#,
    #"{"dimension":"PRODUCT","limitPerGroup":5}"#,
    #"{"dimension":"LOCATION","normalization":"PERCENTAGE_CHANGE","name":["a"]}"#,
    #"{"dimension":"LOCATION","dateRange":["7d","14d"],"name":["a","b"]}"#,
    #"{"dimension":"LOCATION","name":["a","b","c"]}"#,
    #"{"dimension":"NOPE"}"#,
  ]

  /// Each params twice through the memo (a miss, then a hit for those that pass), against a
  /// fresh canonicalisation: the same request, or the same violations, in the same order.
  @Test(arguments: params) func sameAsFresh(_ text: String) throws {
    let limits = RequestLimits(maxSeries: 2)
    let memo = CanonicalRequestMemo(limits: limits)
    let expected = fresh(Fixtures.netflows, text, limits: limits)
    for _ in 0..<2 {
      switch (made(memo, Fixtures.netflows, text), expected) {
      case (.success(let a), .success(let b)): #expect(a == b && a.key == b.key)
      case (.failure(let a), .failure(let b)): #expect(a.violations == b.violations && !a.violations.isEmpty)
      case (let a, let b): Issue.record("memo \(a), fresh \(b)")
      }
    }
    if case .success = expected { #expect(memo.count == 1) } else { #expect(memo.count == 0) }
  }

  /// The same bytes for another method are another entry, and the bound holds.
  @Test func keyedByMethodAndBounded() throws {
    let memo = CanonicalRequestMemo(limits: RequestLimits(), maxEntries: 3)
    let text = #"{"dimension":"LOG_API"}"#
    guard case .success(let ct) = made(memo, Fixtures.ct, text) else {
      Issue.record("ct refused \(text)")
      return
    }
    #expect(ct.method == "radar.ct.timeseriesGroups")
    #expect(memo.count == 1)
    for n in 1...5 { _ = made(memo, Fixtures.netflows, #"{"dimension":"LOCATION","limitPerGroup":\#(n)}"#) }
    #expect(memo.count <= 3)
    // Params without their bytes, or too long to keep, are canonicalised and not kept.
    let small = CanonicalRequestMemo(limits: RequestLimits(), maxParamsBytes: 8)
    _ = made(small, Fixtures.netflows, Self.params[0])
    _ = try small.request(Fixtures.netflows, params: Fixtures.json(#"{"dimension":"AS"}"#), paramsBytes: nil)
    #expect(small.count == 0)
  }
}
