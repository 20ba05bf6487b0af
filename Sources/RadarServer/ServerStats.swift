import JSON
import Radar

/// The `server.stats` answer: counters a user can watch (contract §4, plus latency).
struct ServerStats {
  let radar: RadarStats
  /// Requests in flight other than the `server.stats` request itself.
  let inFlight: Int
  let queued: Int
  let subscriptions: Int
  /// Pollers running for those subscriptions (identical subscriptions share one).
  let pollers: Int
  let backend: String
  let uptimeSeconds: Double

  /// The answer, written straight into one buffer: the fixed text between the values copied as
  /// it is, the integers as digits; no tree to build, write and free, no growable array (this is
  /// the benchmark's "cheap request"). The same bytes ``JSONWriter`` writes for a tree of these
  /// members in this order (`ServerStatsTests` reads every member back).
  var json: JSONValue {
    let shared = radar.sharedCache
    // The fixed text (~560 bytes), 28 integers and 3 numbers of at most 24 characters each, and
    // the backend's name, escaped (at most 6 bytes for each of its bytes, and the quotes).
    let capacity = 560 + 31 * 24 + backend.utf8.count * 6 + 2 + 64
    let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
      var out = Cursor(buffer.baseAddress!)
      out.text(#"{"upstream":{"requests":"#)
      out.integer(radar.upstreamRequests)
      out.text(#","errors":"#)
      out.integer(radar.upstreamErrors)
      out.text(#","retries":"#)
      out.integer(radar.retries)
      out.text(#","rateLimited":"#)
      out.integer(radar.rateLimited)
      out.text(#","rateLimiterWaits":"#)
      out.integer(radar.rateLimiterWaits)
      out.text(#","inFlight":"#)
      out.integer(radar.upstreamInFlight)
      out.text(#","latencyMs":{"p50":"#)
      out.thousandths(radar.latencyP50Milliseconds)
      out.text(#","p99":"#)
      out.thousandths(radar.latencyP99Milliseconds)
      out.text(#"}},"coalesced":"#)
      out.integer(radar.coalesced)
      out.text(#","cacheHits":"#)
      out.integer(radar.cacheHits)
      out.text(#","memoryHits":"#)
      out.integer(radar.memoryHits)
      out.text(#","diskHits":"#)
      out.integer(radar.diskHits)
      out.text(#","coalescedAcrossProcesses":"#)
      out.integer(radar.coalescedAcrossProcesses)
      out.text(#","cacheMisses":"#)
      out.integer(radar.cacheMisses)
      out.text(#","cacheEntries":"#)
      out.integer(radar.cacheEntries)
      out.text(#","inFlight":"#)
      out.integer(inFlight)
      out.text(#","queued":"#)
      out.integer(queued)
      out.text(#","subscriptions":"#)
      out.integer(subscriptions)
      out.text(#","pollers":"#)
      out.integer(pollers)
      out.text(shared != nil ? #","sharedCache":{"enabled":true"# : #","sharedCache":{"enabled":false"#)
      out.text(radar.sharesRateBudget ? #","rateBudget":true,"stores":"# : #","rateBudget":false,"stores":"#)
      out.integer(shared?.stores ?? 0)
      out.text(#","evictions":"#)
      out.integer(shared?.evictions ?? 0)
      out.text(#","rejected":"#)
      out.integer(shared?.rejected ?? 0)
      out.text(#","storeFailures":"#)
      out.integer(shared?.storeFailures ?? 0)
      out.text(#","waitsTimedOut":"#)
      out.integer(shared?.waitsTimedOut ?? 0)
      out.text(#","waiting":"#)
      out.integer(shared?.waiting ?? 0)
      out.text(#"},"backend":"#)
      out.string(backend)
      out.text(#","uptimeSeconds":"#)
      out.thousandths(uptimeSeconds)
      out.text("}")
      count = out.position - buffer.baseAddress!
      precondition(count <= capacity)
    }
    // Compact JSON as JSONWriter writes it (the strings among it written by JSONWriter itself).
    return .encoded(EncodedJSON(previouslyWritten: bytes, range: 0..<bytes.count))
  }

  /// Where the next byte goes, in a buffer sized for everything written.
  private struct Cursor {
    var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    mutating func text(_ text: StaticString) {
      let count = text.utf8CodeUnitCount
      position.update(from: text.utf8Start, count: count)
      position += count
    }

    mutating func bytes(_ bytes: [UInt8]) {
      bytes.withUnsafeBufferPointer { position.update(from: $0.baseAddress!, count: $0.count) }
      position += bytes.count
    }

    /// A JSON string: copied between quotes when it needs no escape (a backend's name), else
    /// written by ``JSONWriter``.
    mutating func string(_ string: String) {
      let plain: Bool? = string.utf8.withContiguousStorageIfAvailable { utf8 in
        guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
          return false
        }
        position.pointee = UInt8(ascii: "\"")
        (position + 1).update(from: utf8.baseAddress!, count: utf8.count)
        position += utf8.count + 1
        position.pointee = UInt8(ascii: "\"")
        position += 1
        return true
      }
      if plain != true { bytes(JSONWriter.bytes(.string(string))) }
    }

    /// `value` rounded to three decimals (milliseconds to the microsecond, seconds to the
    /// millisecond) as ``JSONNumber`` writes that double — `7`, `24.5`, `1234.568` — or `null`
    /// (a latency before any sample). Digits written here below a billion, where the double
    /// nearest `m / 1000` is written as that decimal; by JSONNumber beyond.
    mutating func thousandths(_ value: Double?) {
      guard let value else {
        text("null")
        return
      }
      let scaled = (value * 1000).rounded()
      guard scaled.isFinite, abs(scaled) < 1e12 else {
        bytes(JSONWriter.bytes(.number(JSONNumber(scaled / 1000))))
        return
      }
      var thousandths = Int(scaled)
      if thousandths < 0 {
        position.pointee = UInt8(ascii: "-")
        position += 1
        thousandths = -thousandths
      }
      integer(thousandths / 1000)
      var fraction = thousandths % 1000
      guard fraction > 0 else { return }
      position.pointee = UInt8(ascii: ".")
      position += 1
      var divisor = 100
      repeat {
        position.pointee = UInt8(ascii: "0") &+ UInt8(fraction / divisor)
        position += 1
        fraction %= divisor
        divisor /= 10
      } while fraction > 0
    }

    /// Decimal digits, a `-` first for a negative value.
    mutating func integer(_ value: Int) {
      if value >= 0, value < 10 {
        position.pointee = UInt8(ascii: "0") &+ UInt8(value)
        position += 1
        return
      }
      if value < 0 {
        position.pointee = UInt8(ascii: "-")
        position += 1
      }
      var magnitude = value.magnitude
      var digits = 0
      var rest = magnitude
      repeat {
        digits += 1
        rest /= 10
      } while rest > 0
      var at = position + digits
      position = at
      repeat {
        at -= 1
        at.pointee = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
    }
  }
}
