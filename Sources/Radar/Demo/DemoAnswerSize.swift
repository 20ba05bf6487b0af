/// A lower bound of a demo answer's size in bytes, known before any value is generated: series ×
/// timestamps × groups shown, each value at its shortest text (contract §7: the demo refuses an
/// answer larger than `--max-message-bytes` before building it).
///
/// A lower bound, so an answer that fits is never refused; the answer actually built is checked
/// again (``DemoAnswer``), and the bound is within a small factor of the real size, so the work
/// spent on an answer refused late is bounded by the limit too.
enum DemoAnswerSize {
  /// - Parameters:
  ///   - points: timestamps per series.
  ///   - groups: keys per series (shown groups, without `other`).
  ///   - keyBytes: bytes of each series' key.
  ///   - decimals: digits after the point of every value (0 for integers).
  ///   - csv: CSV (one row per timestamp, unquoted values) rather than JSON.
  static func lowerBound(points: [Int], groups: [Int], keyBytes: [Int], decimals: Int, csv: Bool) -> Int {
    // The shortest value: `7` with no decimals, else `0.` and the decimals.
    let value = decimals == 0 ? 1 : decimals + 2
    // JSON: `"…",` around every value, `"2026-01-01T00:00:00Z",` per timestamp; CSV: `,` after
    // each value, the timestamp and its `,`.
    let perValue = value + (csv ? 1 : 3)
    let perTimestamp = csv ? 21 : 23
    var total = csv ? 0 : 200  // meta
    for (index, count) in points.enumerated() {
      let shown = groups[index]
      let perSeries = keyBytes[index] + (csv ? 0 : 20) + shown * (csv ? keyBytes[index] + 2 : 6)
      // Saturating: a count from a hostile request cannot overflow the estimate.
      let (body, overflow) = count.multipliedReportingOverflow(by: perTimestamp + shown * perValue)
      guard !overflow else { return Int.max }
      total = total.addingReportingOverflow(body + perSeries).overflow ? Int.max : total + body + perSeries
      if total == Int.max { return total }
    }
    return total
  }
}
