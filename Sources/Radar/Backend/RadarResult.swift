public import JSON

/// A successful Radar answer, as the JSON-RPC result will carry it.
///
/// For JSON it is Cloudflare's `result` object unchanged (`meta` and the series, values still
/// strings, unknown fields kept); for `format=CSV` it is `{"format": "CSV", "csv": "<body>"}`.
public struct RadarResult: Sendable, Hashable {
  public let value: JSONValue
  /// Approximate size in bytes (the upstream body length), for the cache's byte budget.
  public let byteCount: Int

  public init(value: JSONValue, byteCount: Int) {
    self.value = value
    self.byteCount = byteCount
  }

  /// The CSV shape of a result: `{"format": "CSV", "csv": body}`.
  public static func csv(_ body: String) -> RadarResult {
    RadarResult(value: .object(["format": "CSV", "csv": .string(body)]), byteCount: body.utf8.count)
  }
}
