/// A validated, canonical request for one Radar endpoint: what goes on the wire, and the
/// key under which identical requests are coalesced and cached.
///
/// The protocol layer builds it from JSON-RPC params (schema-checked, scalars widened to
/// arrays, the `series` form expanded, progress tokens removed, query items in a canonical
/// order), so two spellings of the same question produce equal requests. Backends receive
/// it as a path and query items, exactly as an HTTP server would.
public struct RadarRequest: Sendable, Hashable, CustomStringConvertible {
  /// The JSON-RPC method that asked for it, e.g. `radar.ct.timeseriesGroups` (for logs and stats).
  public let method: String
  /// The endpoint's path template, e.g. `/radar/ct/timeseries_groups/{dimension}`.
  public let pathTemplate: String
  /// The path with its parameters filled in, below the base URL: `/radar/ct/timeseries_groups/CA`.
  public let path: String
  /// Query items in canonical order; repeated names keep series order.
  public let queryItems: [QueryItem]
  /// `path?query`: the coalescing and cache key (the base URL and credentials are the same
  /// for every request of one server, so they are not part of it). Every call, cache hits
  /// included, reads it, so it is made once, here: written into one buffer, with no string per
  /// item, and kept with a request the protocol layer remembers for repeated params.
  public let key: String
  /// `key.hashValue`, taken once: the result cache looks the key up on every call, and hashing
  /// its ~100–200 bytes each time was most of a memory hit's lookup. Valid in this process only.
  public let keyHash: Int

  public init(method: String, pathTemplate: String, path: String, queryItems: [QueryItem]) {
    self.method = method
    self.pathTemplate = pathTemplate
    self.path = path
    self.queryItems = queryItems
    self.key = Self.key(path: path, queryItems: queryItems)
    self.keyHash = key.hashValue
  }

  /// The percent-encoded query string, without the leading `?`.
  public var queryString: String {
    var bytes: [UInt8] = []
    appendQuery(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func key(path: String, queryItems: [QueryItem]) -> String {
    guard !queryItems.isEmpty else { return path }
    var bytes = Array(path.utf8)
    bytes.reserveCapacity(bytes.count + 1 + queryItems.count * 24)
    bytes.append(UInt8(ascii: "?"))
    appendQuery(queryItems, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private func appendQuery(to bytes: inout [UInt8]) { Self.appendQuery(queryItems, to: &bytes) }

  private static func appendQuery(_ queryItems: [QueryItem], to bytes: inout [UInt8]) {
    for (index, item) in queryItems.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: "&")) }
      PercentEncoding.append(item.name, to: &bytes)
      bytes.append(UInt8(ascii: "="))
      PercentEncoding.append(item.value, to: &bytes)
    }
  }

  /// The values of every query item named `name`, in order.
  public func values(_ name: String) -> [String] {
    queryItems.filter { $0.name == name }.map(\.value)
  }

  /// True when the request asks for `format=CSV`.
  public var wantsCSV: Bool { values("format").last?.uppercased() == "CSV" }

  public var description: String { "\(method) \(key)" }
}
