import JSON

/// Writes a demo answer as Cloudflare's `result` object: `meta` first, then one object per series
/// (`timestamps` and one array per group, values as strings).
enum DemoJSON {
  static func meta(
    interval: DemoAggInterval, axes: [DemoTimeAxis], lastUpdated: Int64, normalization: DemoNormalization.Kind,
    units: String
  ) -> JSONValue {
    let ranges = axes.map { axis -> JSONValue in
      ["startTime": .string(DemoTimestamp.format(axis.start)), "endTime": .string(DemoTimestamp.format(axis.end))]
    }
    return [
      "aggInterval": .string(interval.metaName),
      "confidenceInfo": ["annotations": [], "level": 5],
      "dateRange": .array(ranges),
      "lastUpdated": .string(DemoTimestamp.format(lastUpdated)),
      "normalization": .string(normalization.metaName),
      "units": [["name": "*", "value": .string(units)]],
    ]
  }

  /// The answer, written once as JSON straight from the scaled integers (no value tree, no
  /// `String` per value): this is the whole cost of serialising a fresh demo answer. A time axis
  /// shared by several series is written once and spliced into each.
  @inline(never)  // a function of its own, so that callgrind can count it (bench/run, radar-benchmarks writer-icount)
  static func result(meta: JSONValue, keys: [String], timestamps: [[String]], columns: [DemoColumns]) -> RadarResult {
    var estimate = 400
    for (index, column) in columns.enumerated() {
      let points = timestamps[index].count
      estimate += keys[index].utf8.count + 24 + points * 23 + column.keys.count * (16 + points * (column.decimals + 6))
    }
    var writer = JSONStreamWriter(capacity: estimate)
    writer.beginObject()
    writer.key("meta")
    writer.value(meta)
    var timestampArrays: [(strings: [String], json: JSONValue)] = []
    for (index, key) in keys.enumerated() {
      let times = timestamps[index]
      let timesJSON: JSONValue
      if let hit = timestampArrays.first(where: { $0.strings == times }) {
        timesJSON = hit.json
      } else {
        timesJSON = .encoded(EncodedJSON(.array(times.map(JSONValue.string))))
        timestampArrays.append((times, timesJSON))
      }
      writer.key(key)
      writer.beginObject()
      writer.key("timestamps")
      writer.value(timesJSON)
      let column = columns[index]
      for (k, groupKey) in column.keys.enumerated() {
        writer.key(groupKey)
        // As FixedDecimal.string(scaled:decimals:) would write each value.
        writer.fixedPointStrings(column.scaled[k], decimals: column.decimals)
      }
      writer.endObject()
    }
    writer.endObject()
    return RadarResult(encoded: writer.finish())
  }
}
