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

  /// The answer, written once as JSON straight from the scaled integers and the timestamps'
  /// seconds (no value tree, no `String` per value or timestamp): this is the whole cost of
  /// serialising a fresh demo answer.
  /// - Parameters:
  ///   - timestamps: each series' bucket start times (seconds since 1970).
  ///   - columns: each series' groups, parallel to `keys` and `timestamps`.
  @inline(never)  // a function of its own, so that callgrind can count it (bench/run, radar-benchmarks writer-icount)
  static func result(meta: JSONValue, keys: [String], timestamps: [[Int64]], columns: [DemoColumns]) -> RadarResult {
    // No closure here: callgrind's --toggle-collect matches the closures named after this function
    // too, and would stop counting inside them.
    RadarResult(encoded: write(meta: meta, keys: keys, timestamps: timestamps, columns: columns))
  }

  private static func write(meta: JSONValue, keys: [String], timestamps: [[Int64]], columns: [DemoColumns])
    -> EncodedJSON
  {
    var estimate = 400 + JSONStreamWriter.reserveBeyondWritten
    for (index, column) in columns.enumerated() {
      let points = timestamps[index].count
      estimate += keys[index].utf8.count + 24 + points * 23 + column.keys.count * (16 + points * (column.decimals + 6))
    }
    var writer = JSONStreamWriter(capacity: estimate)
    writer.beginObject()
    writer.key("meta")
    writer.value(meta)
    for (index, key) in keys.enumerated() {
      writer.key(key)
      writer.beginObject()
      writer.key("timestamps")
      var text = DemoTimestamp.Writer()
      timestamps[index].withUnsafeBufferPointer { seconds in
        writer.stringArray(count: seconds.count, maxBytes: DemoTimestamp.Writer.length) { i, out in
          text.write(seconds[i], to: out)
          return DemoTimestamp.Writer.length
        }
      }
      let column = columns[index]
      for (k, groupKey) in column.keys.enumerated() {
        writer.key(groupKey)
        // As FixedDecimal.string(scaled:decimals:) would write each value.
        writer.fixedPointStrings(column.scaled[k], decimals: column.decimals)
      }
      writer.endObject()
    }
    writer.endObject()
    return writer.finish()
  }
}
