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

  public init(method: String, pathTemplate: String, path: String, queryItems: [QueryItem]) {
    self.method = method
    self.pathTemplate = pathTemplate
    self.path = path
    self.queryItems = queryItems
  }

  /// The percent-encoded query string, without the leading `?`.
  public var queryString: String {
    queryItems.map { "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }
      .joined(separator: "&")
  }

  /// `path?query`: the coalescing and cache key (the base URL and credentials are the same
  /// for every request of one server, so they are not part of it).
  public var key: String {
    let query = queryString
    return query.isEmpty ? path : "\(path)?\(query)"
  }

  /// The values of every query item named `name`, in order.
  public func values(_ name: String) -> [String] {
    queryItems.filter { $0.name == name }.map(\.value)
  }

  /// True when the request asks for `format=CSV`.
  public var wantsCSV: Bool { values("format").last?.uppercased() == "CSV" }

  public var description: String { "\(method) \(key)" }
}
