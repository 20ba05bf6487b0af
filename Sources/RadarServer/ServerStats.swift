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
    // Written by JSONWriter: the numbers that are not integers, and the one string.
    let p50 = JSONWriter.bytes(Self.thousandths(radar.latencyP50Milliseconds))
    let p99 = JSONWriter.bytes(Self.thousandths(radar.latencyP99Milliseconds))
    let uptime = JSONWriter.bytes(Self.thousandths(uptimeSeconds))
    let backend = JSONWriter.bytes(.string(backend))
    // The fixed text (~560 bytes) and 28 integers of at most 20 characters each.
    let capacity = 560 + 28 * 20 + p50.count + p99.count + uptime.count + backend.count + 64
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
      out.bytes(p50)
      out.text(#","p99":"#)
      out.bytes(p99)
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
      out.bytes(backend)
      out.text(#","uptimeSeconds":"#)
      out.bytes(uptime)
      out.text("}")
      count = out.position - buffer.baseAddress!
      precondition(count <= capacity)
    }
    // Compact JSON as JSONWriter writes it (the strings among it written by JSONWriter itself).
    return .encoded(EncodedJSON(previouslyWritten: bytes, range: 0..<bytes.count))
  }

  /// `value` rounded to three decimals (milliseconds to the microsecond, seconds to the
  /// millisecond), or `null` (a latency before any sample).
  private static func thousandths(_ value: Double?) -> JSONValue {
    value.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) } ?? .null
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
