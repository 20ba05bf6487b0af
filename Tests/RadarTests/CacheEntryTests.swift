import JSON
import Testing

@testable import Radar

/// The entry format: whatever is wrong with a file — any byte changed, any length cut, another
/// key, another version — it is rejected, never decoded into a result.
@Suite struct CacheEntryTests {
  private static let key = Array("https://api.cloudflare.com/client/v4/radar/ct/timeseries_groups/CA?dateRange=7d".utf8)
  private static let result = Array(
    #"{"meta":{"aggInterval":"ONE_HOUR"},"serie_0":{"timestamps":[],"CA":["1.5"]}}"#.utf8)

  private static func file(key: [UInt8] = key, result: [UInt8] = result, stored: Int64 = 1_000, expires: Int64 = 61_000)
    -> [UInt8]
  {
    let header = key.withUnsafeBytes { k in
      result.withUnsafeBytes { r in CacheEntry.header(key: k, result: r, storedAt: stored, expiresAt: expires) }
    }
    return header + key + result
  }

  @Test func aWholeEntryDecodesToItsParts() throws {
    let file = Self.file()
    let entry = try CacheEntry.decode(file, key: Self.key)
    #expect(entry.storedAt == 1_000)
    #expect(entry.expiresAt == 61_000)
    #expect(Array(file[entry.result]) == Self.result)
  }

  @Test func everyChangedByteIsRejected() {
    let file = Self.file()
    for i in file.indices {
      var damaged = file
      damaged[i] ^= 0x01
      #expect(throws: CacheEntry.Defect.self, "byte \(i)") { try CacheEntry.decode(damaged, key: Self.key) }
    }
  }

  @Test func everyCutIsRejected() {
    let file = Self.file()
    for length in 0..<file.count {
      #expect(throws: CacheEntry.Defect.self, "length \(length)") {
        try CacheEntry.decode(Array(file[..<length]), key: Self.key)
      }
    }
    #expect(throws: CacheEntry.Defect.self) { try CacheEntry.decode(file + [0x20], key: Self.key) }
  }

  @Test func anotherKeysEntryIsRejected() {
    let other = Array("https://api.cloudflare.com/client/v4/radar/ct/timeseries_groups/CA?dateRange=1d".utf8)
    #expect(throws: CacheEntry.Defect.otherKey) { try CacheEntry.decode(Self.file(), key: other) }
  }

  @Test func aResultWithALineBreakIsRejectedEvenWithAGoodChecksum() {
    let file = Self.file(result: Array("{\"a\":\n1}".utf8))
    #expect(throws: CacheEntry.Defect.notCompactJSON) { try CacheEntry.decode(file, key: Self.key) }
  }

  @Test func aFileThatIsNotAnEntryIsRejected() {
    #expect(throws: CacheEntry.Defect.self) { try CacheEntry.decode(Array(repeating: 0x41, count: 200), key: Self.key) }
    var otherVersion = Self.file()
    otherVersion[8] = 2
    #expect(throws: CacheEntry.Defect.otherVersion) { try CacheEntry.decode(otherVersion, key: Self.key) }
  }
}
