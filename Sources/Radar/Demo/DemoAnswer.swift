import JSON

/// Computes one demo answer: reads the request, applies Radar's rules, generates, folds and
/// normalizes every series, and writes the result as JSON or CSV.
enum DemoAnswer {
  /// The answer to `request`, or `nil` when `isCancelled` turned true while it was being built
  /// (checked between series, so a cancelled request stops its work; contract §7).
  /// - Parameter maxBytes: the largest answer allowed (`--max-message-bytes`).
  /// - Throws: ``RadarError/upstream(httpStatus:errors:retryAfterSeconds:)`` (400/2001) for a
  ///   request Radar rejects, ``RadarError/answerTooLarge(estimatedBytes:limit:)`` for one whose
  ///   answer would be larger than `maxBytes`.
  static func make(
    _ request: RadarRequest, now: Int64, maxBytes: Int = .max, isCancelled: () -> Bool = { false }
  ) throws(RadarError) -> RadarResult? {
    let query = try DemoQuery.parse(request)
    let profile = DemoCatalog.profile(forPathTemplate: request.pathTemplate)
    let dimension = profile.dimension(query.dimension)
    try checkRules(query, profile: profile, dimension: dimension, isCT: request.pathTemplate.hasPrefix("/radar/ct/"))
    let (interval, axes) = try DemoWindow.resolve(query.series, interval: query.aggInterval, now: now)

    let baseSeed = SeededRandom.combine(SeededRandom.hash(request.pathTemplate), SeededRandom.hash(query.dimension))
    let plans = query.series.map { DemoSeriesPlan(dimension: dimension, filters: $0.filters, baseSeed: baseSeed) }
    let limit = query.limitPerGroup ?? (dimension.highCardinality ? 10 : nil)
    let estimate = DemoAnswerSize.lowerBound(
      points: axes.map(\.timestamps.count), groups: plans.map { min($0.visible.count, limit ?? .max) },
      keyBytes: query.series.map(\.key.utf8.count), decimals: query.normalization.decimals, csv: request.wantsCSV)
    guard estimate <= maxBytes else { throw .answerTooLarge(estimatedBytes: estimate, limit: maxBytes) }

    var raws: [DemoRawSeries] = []
    for (plan, axis) in zip(plans, axes) {
      if isCancelled() { return nil }
      raws.append(
        DemoGenerator.generate(profile: profile, dimension: dimension, plan: plan, axis: axis, interval: interval))
    }
    var folded: [DemoFoldedSeries] = []
    for (index, raw) in raws.enumerated() {
      let count = axes[index].timestamps.count
      if query.normalization == .percentageChange, index > 0, let main = folded.first {
        folded.append(DemoGrouping.fold(raw, dimension: dimension, matching: main.keys, count: count))
      } else {
        folded.append(DemoGrouping.fold(raw, dimension: dimension, limit: limit, count: count))
      }
    }
    if isCancelled() { return nil }
    let columns = DemoNormalization.apply(query.normalization, to: folded)

    if isCancelled() { return nil }
    let keys = query.series.map(\.key)
    let result: RadarResult
    if request.wantsCSV {
      var timestampCache: [(values: [Int64], strings: [String])] = []
      let timestamps = axes.map { axis -> [String] in
        if let hit = timestampCache.first(where: { $0.values == axis.timestamps }) { return hit.strings }
        let strings = axis.timestamps.map(DemoTimestamp.format)
        timestampCache.append((axis.timestamps, strings))
        return strings
      }
      result = .csv(DemoCSV.body((0..<keys.count).map { (keys[$0], timestamps[$0], columns[$0]) }))
    } else {
      let meta = DemoJSON.meta(
        interval: interval, axes: axes, lastUpdated: DemoTimestamp.floor(now, to: 900),
        normalization: query.normalization, units: profile.units)
      result = DemoJSON.result(meta: meta, keys: keys, timestamps: axes.map(\.timestamps), columns: columns)
    }
    guard result.byteCount <= maxBytes else {
      throw .answerTooLarge(estimatedBytes: result.byteCount, limit: maxBytes)
    }
    return result
  }

  /// Requests Radar rejects: `limitPerGroup` on a dimension of two groups or fewer, `PERCENTAGE_CHANGE`
  /// without exactly one comparison series, and CT's `tld` combined with log attributes.
  private static func checkRules(_ query: DemoQuery, profile: DemoEndpointProfile, dimension: DemoDimension, isCT: Bool)
    throws(RadarError)
  {
    if query.limitPerGroup != nil, profile.knowsCardinality, dimension.groups.count <= 2 {
      throw DemoError.invalid(
        "limitPerGroup is only supported on dimensions with more than two groups; \(query.dimension) has two")
    }
    if query.normalization == .percentageChange, query.series.count != 2 {
      throw DemoError.invalid(
        "normalization PERCENTAGE_CHANGE requires exactly one comparison series (got \(query.series.count) series)")
    }
    guard isCT else { return }
    let logDimensions: Set<String> = ["LOG", "LOG_API", "LOG_OPERATOR", "ENTRY_TYPE"]
    let logFilters: Set<String> = ["log", "logApi", "logOperator", "entryType"]
    for spec in query.series {
      let tld = query.dimension == "TLD" || spec.filters.contains { $0.parameter == "tld" }
      let log = logDimensions.contains(query.dimension) || spec.filters.contains { logFilters.contains($0.parameter) }
      if tld && log {
        throw DemoError.invalid("tld cannot be combined with log, logApi, logOperator or entryType")
      }
    }
  }
}
