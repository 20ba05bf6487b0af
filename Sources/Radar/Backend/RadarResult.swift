public import JSON

/// A successful Radar answer, as the JSON-RPC result will carry it.
///
/// For JSON it is Cloudflare's `result` object unchanged (`meta` and the series, values still
/// strings, unknown fields kept); for `format=CSV` it is `{"format": "CSV", "csv": "<body>"}`.
///
/// It is serialised once, when it is made (as a flight finishes, before it enters the cache):
/// every caller it reaches — cache hits, coalesced callers, subscribers — writes those same
/// bytes (``encoded``) inside its own envelope, at the cost of a copy (contract §6).
public struct RadarResult: Sendable, Hashable {
  /// The answer as compact JSON, written once.
  public let encoded: EncodedJSON
  /// Approximate size in bytes (the upstream body length), for the cache's byte budget.
  public let byteCount: Int

  /// Serialises `value` once.
  public init(value: JSONValue, byteCount: Int) {
    self.encoded = EncodedJSON(value)
    self.byteCount = byteCount
  }

  /// An answer already written; its size is its byte count.
  public init(encoded: EncodedJSON) {
    self.encoded = encoded
    self.byteCount = encoded.count
  }

  /// The answer as a JSON value that writes as ``encoded`` (a splice, no re-serialisation); its
  /// accessors decode it (for tests and rare paths).
  public var value: JSONValue { .encoded(encoded) }

  /// The CSV shape of a result: `{"format": "CSV", "csv": body}`.
  public static func csv(_ body: String) -> RadarResult {
    RadarResult(value: .object(["format": "CSV", "csv": .string(body)]), byteCount: body.utf8.count)
  }
}
