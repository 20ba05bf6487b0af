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

  static func result(meta: JSONValue, keys: [String], timestamps: [[String]], columns: [DemoColumns]) -> RadarResult {
    var bytes = 400
    var members: [(String, JSONValue)] = [("meta", meta)]
    members.reserveCapacity(keys.count + 1)
    var timestampArrays: [(strings: [String], json: JSONValue)] = []
    for (index, key) in keys.enumerated() {
      let times = timestamps[index]
      let timesJSON: JSONValue
      if let hit = timestampArrays.first(where: { $0.strings == times }) {
        timesJSON = hit.json
      } else {
        timesJSON = .array(times.map(JSONValue.string))
        timestampArrays.append((times, timesJSON))
      }
      bytes += key.utf8.count + 20 + times.count * 23
      var series: [(String, JSONValue)] = [("timestamps", timesJSON)]
      let column = columns[index]
      for (k, groupKey) in column.keys.enumerated() {
        let values = column.scaled[k].map { scaled -> JSONValue in
          let text = FixedDecimal.string(scaled: scaled, decimals: column.decimals)
          bytes += text.utf8.count + 3
          return .string(text)
        }
        bytes += groupKey.utf8.count + 6
        series.append((groupKey, .array(values)))
      }
      members.append((key, .object(JSONObject(series))))
    }
    return RadarResult(value: .object(JSONObject(members)), byteCount: bytes)
  }
}
