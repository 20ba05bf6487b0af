import Foundation
import Testing

@testable import Radar

/// The demo's own number and date formatting, checked against Foundation's.
@Suite("Demo backend: fixed decimals and timestamps")
struct DemoFormattingTests {
  @Test("fixed decimals match String(format:) rounding half away from zero")
  func fixedDecimal() {
    var generator = SplitMixForTests(seed: 42)
    for decimals in [0, 2, 4, 6] {
      for _ in 0..<2_000 {
        let value = (Double(generator.next() % 2_000_000_000) - 1_000_000_000) / 1_000_003
        let expected = String(format: "%.\(decimals)f", value)
        let text = FixedDecimal.string(value, decimals: decimals)
        #expect(text == expected || Double(text)! - Double(expected)! == 0, "\(value) → \(text) vs \(expected)")
        var bytes: [UInt8] = []
        FixedDecimal.write(scaled: FixedDecimal.scaled(value, decimals: decimals), decimals: decimals, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
      }
    }
    #expect(FixedDecimal.string(0.00005, decimals: 4) == "0.0001")
    #expect(FixedDecimal.string(-0.00004, decimals: 4) == "0.0000")
    #expect(FixedDecimal.string(-3.1, decimals: 4) == "-3.1000")
    #expect(FixedDecimal.string(52.55325, decimals: 2) == "52.55")
    #expect(FixedDecimal.string(1, decimals: 6) == "1.000000")
    #expect(FixedDecimal.string(1_234_567_890_123, decimals: 0) == "1234567890123")
    #expect(FixedDecimal.string(.nan, decimals: 4) == "0.0000")
    #expect(FixedDecimal.string(.infinity, decimals: 0) == "0")
  }

  @Test("timestamps format and parse like Foundation's ISO 8601")
  func timestamps() throws {
    let formatter = ISO8601DateFormatter()
    var generator = SplitMixForTests(seed: 7)
    for _ in 0..<2_000 {
      let seconds = Int64(generator.next() % 8_000_000_000) - 2_000_000_000  // 1906 … 2223
      let text = DemoTimestamp.format(seconds)
      #expect(text == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
      #expect(DemoTimestamp.parse(text) == seconds)
    }
    #expect(DemoTimestamp.parse("2026-11-16T10:00:00.999+02:30") == DemoTimestamp.parse("2026-11-16T07:30:00Z"))
    #expect(DemoTimestamp.parse("2026-11-16") == DemoTimestamp.parse("2026-11-16T00:00:00Z"))
    for bad in ["2026-02-30T00:00:00Z", "2026-11-16T24:00:00Z", "2026-11-16T10:00:00", "2026-11-16 10:00:00Z", ""] {
      #expect(DemoTimestamp.parse(bad) == nil, "\(bad)")
    }
    #expect(DemoTimestamp.weekday(1_794_825_432) == 0)  // 2026-11-16 is a Monday
  }

  @Test("seeded randomness is stable across processes (no per-process seeding)")
  func stableHash() {
    #expect(SeededRandom.hash("") == 0xCBF2_9CE4_8422_2325)
    #expect(SeededRandom.hash("a") == 0xAF63_DC4C_8601_EC8C)  // FNV-1a test vector
    #expect(SeededRandom.mix(0) == 0xE220_A839_7B1D_CDAF)  // SplitMix64's first output for seed 0
    let u = (0..<1_000).map { SeededRandom.unit(UInt64($0)) }
    #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(u.reduce(0, +) / 1_000 - 0.5) < 0.05)
  }
}

/// A tiny generator for test inputs (the tests must be deterministic too).
struct SplitMixForTests {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SeededRandom.mix(state &- 0x9E37_79B9_7F4A_7C15)
  }
}
