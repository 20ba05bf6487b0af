/// One series after normalization: keys and values as scaled integers (value × 10^decimals), so
/// JSON and CSV can write the digits without going through floating-point formatting.
struct DemoColumns: Sendable {
  let keys: [String]
  let scaled: [[Int64]]
  let decimals: Int
}

/// Radar's normalizations, applied to the raw values of every series of one request.
enum DemoNormalization {
  enum Kind: Sendable, Equatable {
    /// Shares of the groups per timestamp, summing to 100 (Radar's default for these endpoints).
    case percentage
    /// Values over the largest value of the whole answer: in [0, 1], the maximum exactly 1.
    case min0Max
    /// Plausible counts in the endpoint's unit.
    case rawValues
    /// Change of the main series against the one comparison series, in percent.
    case percentageChange

    /// The normalization named in the request; omitted or unknown names get `PERCENTAGE`.
    init(wire: String?) {
      switch wire?.uppercased() {
      case "MIN0_MAX": self = .min0Max
      case "RAW_VALUES": self = .rawValues
      case "PERCENTAGE_CHANGE": self = .percentageChange
      default: self = .percentage
      }
    }

    var metaName: String {
      switch self {
      case .percentage: "PERCENTAGE"
      case .min0Max: "MIN0_MAX"
      case .rawValues: "RAW_VALUES"
      case .percentageChange: "PERCENTAGE_CHANGE"
      }
    }

    var decimals: Int {
      switch self {
      case .percentage, .percentageChange: 4
      case .min0Max: 6
      case .rawValues: 0
      }
    }
  }

  static func apply(_ kind: Kind, to series: [DemoFoldedSeries]) -> [DemoColumns] {
    switch kind {
    case .percentage: series.map(percentage)
    case .rawValues: series.map { DemoColumns(keys: $0.keys, scaled: scale($0.rows, by: 1, decimals: 0), decimals: 0) }
    case .min0Max:
      minZeroMax(series)
    case .percentageChange:
      percentageChange(series)
    }
  }

  private static func scale(_ rows: [[Double]], by factor: Double, decimals: Int) -> [[Int64]] {
    rows.map { row in row.map { FixedDecimal.scaled($0 * factor, decimals: decimals) } }
  }

  /// Per timestamp, each group's share in units of 0.0001 %. Rounding leftovers go to the largest
  /// group, so every timestamp sums to exactly 100.
  private static func percentage(_ series: DemoFoldedSeries) -> DemoColumns {
    let count = series.count
    var sums = [Double](repeating: 0, count: count)
    var largest = [Int](repeating: 0, count: count)
    var largestValue = [Double](repeating: -1, count: count)
    for (k, row) in series.rows.enumerated() {
      for i in 0..<count {
        let value = row[i]
        sums[i] += value
        if value > largestValue[i] {
          largestValue[i] = value
          largest[i] = k
        }
      }
    }
    let inverse = sums.map { $0 > 0 ? 100 / $0 : 0 }
    var scaled = series.rows.map { row in
      [Int64](unsafeUninitializedCapacity: count) { out, initialized in
        for i in 0..<count { out[i] = FixedDecimal.scaled(row[i] * inverse[i], decimals: 4) }
        initialized = count
      }
    }
    var totals = [Int64](repeating: 0, count: count)
    for row in scaled {
      for i in 0..<count { totals[i] += row[i] }
    }
    for i in 0..<count where sums[i] > 0 {
      scaled[largest[i]][i] += 1_000_000 - totals[i]
    }
    return DemoColumns(keys: series.keys, scaled: scaled, decimals: 4)
  }

  /// Every value over the largest value of all series, so the series stay comparable.
  private static func minZeroMax(_ series: [DemoFoldedSeries]) -> [DemoColumns] {
    var largest = 0.0
    for s in series {
      for row in s.rows { largest = max(largest, row.max() ?? 0) }
    }
    let factor = largest > 0 ? 1 / largest : 0
    return series.map { s in
      DemoColumns(
        keys: s.keys,
        scaled: s.rows.map { row in row.map { FixedDecimal.scaled($0 == largest ? 1 : $0 * factor, decimals: 6) } },
        decimals: 6)
    }
  }

  /// The main series as the change of each group against the comparison series at the same
  /// position (`0` where the comparison has nothing); the comparison itself is all zeros.
  private static func percentageChange(_ series: [DemoFoldedSeries]) -> [DemoColumns] {
    guard let main = series.first else { return [] }
    let base = series.count > 1 ? series[1] : main
    var columns: [DemoColumns] = []
    let changes = main.rows.enumerated().map { k, row in
      row.enumerated().map { i, value -> Int64 in
        guard k < base.rows.count, i < base.count, base.rows[k][i] > 0 else { return 0 }
        return FixedDecimal.scaled((value / base.rows[k][i] - 1) * 100, decimals: 4)
      }
    }
    columns.append(DemoColumns(keys: main.keys, scaled: changes, decimals: 4))
    for s in series.dropFirst() {
      columns.append(
        DemoColumns(keys: s.keys, scaled: s.rows.map { _ in [Int64](repeating: 0, count: s.count) }, decimals: 4))
    }
    return columns
  }
}
