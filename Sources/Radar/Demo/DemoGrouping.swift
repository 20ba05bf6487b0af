/// A series ready to be normalized: its output keys and their raw values.
struct DemoFoldedSeries: Sendable {
  let keys: [String]
  /// `rows[k][i]`: raw value of `keys[k]` in bucket `i`.
  let rows: [[Double]]
  /// Number of buckets.
  let count: Int
}

/// `limitPerGroup`: keeps the top groups over the window and folds the rest, with the long tail,
/// into `other`.
enum DemoGrouping {
  static let otherKey = "other"

  /// With a `limit`, the `limit` groups with the largest totals over the window, largest first;
  /// without one, every group in catalog order. `other` comes last, when anything was folded.
  static func fold(_ raw: DemoRawSeries, dimension: DemoDimension, limit: Int?, count: Int) -> DemoFoldedSeries {
    var order = Array(raw.rows.indices)
    if let limit {
      let totals = raw.rows.map { $0.reduce(0, +) }
      order.sort { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
      order = Array(order.prefix(limit))
    }
    let kept = order.map { (key: dimension.groups[raw.groups[$0]].key, row: Optional($0)) }
    return assemble(raw, kept: kept, forceOther: false, count: count)
  }

  /// Folds `raw` onto the keys another series chose (the baseline of `PERCENTAGE_CHANGE` must
  /// compare like with like): groups it lacks get zeros, everything else goes into `other`.
  static func fold(_ raw: DemoRawSeries, dimension: DemoDimension, matching keys: [String], count: Int)
    -> DemoFoldedSeries
  {
    let kept = keys.filter { $0 != otherKey }.map { key in
      (key: key, row: raw.groups.firstIndex { dimension.groups[$0].key == key })
    }
    return assemble(raw, kept: kept, forceOther: keys.last == otherKey, count: count)
  }

  /// The `kept` rows (a `nil` row is a group this series does not show: zeros), then `other`
  /// with the rest and the tail, when there is any (or when `forceOther`).
  private static func assemble(
    _ raw: DemoRawSeries, kept: [(key: String, row: Int?)], forceOther: Bool, count: Int
  ) -> DemoFoldedSeries {
    let zeros = [Double](repeating: 0, count: count)
    var isKept = [Bool](repeating: false, count: raw.rows.count)
    var keys: [String] = []
    var rows: [[Double]] = []
    keys.reserveCapacity(kept.count + 1)
    rows.reserveCapacity(kept.count + 1)
    for (key, row) in kept {
      keys.append(key)
      if let row {
        isKept[row] = true
        rows.append(raw.rows[row])
      } else {
        rows.append(zeros)
      }
    }
    var other = raw.tail ?? zeros
    var folded = raw.tail != nil
    for (row, values) in raw.rows.enumerated() where !isKept[row] {
      folded = true
      for i in 0..<count { other[i] += values[i] }
    }
    if folded || forceOther {
      keys.append(otherKey)
      rows.append(other)
    }
    return DemoFoldedSeries(keys: keys, rows: rows, count: count)
  }
}
