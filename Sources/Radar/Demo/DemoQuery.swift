/// What one series of a request asks for: the i-th element of every array parameter.
struct DemoSeriesSpec: Sendable {
  /// The key of the series in the answer: `name[i]`, or `serie_i`.
  let key: String
  let dateRange: String?
  let dateStart: String?
  let dateEnd: String?
  /// Every other array parameter with a non-empty element for this series, in query order.
  let filters: [DemoFilter]
}

/// A request as Radar's HTTP server sees it: the dimension (last path segment), the parameters
/// that apply to all series, and the series themselves.
struct DemoQuery: Sendable {
  let dimension: String
  let aggInterval: DemoAggInterval?
  let normalization: DemoNormalization.Kind
  let limitPerGroup: Int?
  let series: [DemoSeriesSpec]

  /// Parameters that are not arrays: they apply to every series (the last value wins if repeated).
  static let scalarParameters: Set<String> = ["aggInterval", "normalization", "limitPerGroup", "format"]

  static func parse(_ request: RadarRequest) throws(RadarError) -> DemoQuery {
    // The dimension is the last path segment; an endpoint without one (`…/ranking/timeseries_groups`)
    // is named by the segment before, so its generic keys read `ranking_1`, not `timeseries_groups_1`.
    var segments = request.path.split(separator: "/").map(String.init)
    if segments.count > 1, segments.last == "timeseries_groups" { segments.removeLast() }
    let segment = segments.last ?? ""
    let dimension = (PercentEncoding.decode(segment) ?? segment).uppercased()

    var arrays: [(name: String, values: [String])] = []
    var scalars: [String: String] = [:]
    for item in request.queryItems {
      if scalarParameters.contains(item.name) {
        scalars[item.name] = item.value
      } else if let index = arrays.firstIndex(where: { $0.name == item.name }) {
        arrays[index].values.append(item.value)
      } else {
        arrays.append((item.name, [item.value]))
      }
    }

    var aggInterval: DemoAggInterval?
    if let text = scalars["aggInterval"], !text.isEmpty {
      guard let interval = DemoAggInterval(wire: text) else {
        throw DemoError.invalid("aggInterval must be one of 15m, 1h, 1d, 1w (got '\(text)')")
      }
      aggInterval = interval
    }
    var limit: Int?
    if let text = scalars["limitPerGroup"], !text.isEmpty {
      guard let value = Int(text), value >= 2 else {
        throw DemoError.invalid("limitPerGroup must be an integer of at least 2 (got '\(text)')")
      }
      limit = value
    }
    let normalization = DemoNormalization.Kind(wire: scalars["normalization"])

    let count = max(1, arrays.map(\.values.count).max() ?? 1)
    func element(_ name: String, _ i: Int) -> String? {
      guard let values = arrays.first(where: { $0.name == name })?.values, i < values.count, !values[i].isEmpty
      else { return nil }
      return values[i]
    }
    var series: [DemoSeriesSpec] = []
    var keys: Set<String> = []
    for i in 0..<count {
      let key = element("name", i) ?? "serie_\(i)"
      guard key != "meta" else { throw DemoError.invalid("name 'meta' is reserved for the result's metadata") }
      guard keys.insert(key).inserted else { throw DemoError.invalid("name '\(key)' labels more than one series") }
      let filters = arrays.compactMap { array -> DemoFilter? in
        guard !["name", "dateRange", "dateStart", "dateEnd"].contains(array.name), let value = element(array.name, i)
        else { return nil }
        return DemoFilter(parameter: array.name, value: value)
      }
      series.append(
        DemoSeriesSpec(
          key: key, dateRange: element("dateRange", i), dateStart: element("dateStart", i),
          dateEnd: element("dateEnd", i), filters: filters))
    }
    return DemoQuery(
      dimension: dimension, aggInterval: aggInterval, normalization: normalization, limitPerGroup: limit,
      series: series)
  }
}
