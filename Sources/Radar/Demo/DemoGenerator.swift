#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Raw values of one series: one row per shown group (in catalog order), plus the long tail.
struct DemoRawSeries: Sendable {
  /// Indices into the dimension's groups, one per row.
  let groups: [Int]
  /// `rows[r][i]`: raw value of group `groups[r]` in bucket `i`.
  let rows: [[Double]]
  /// The long tail, when it has weight; it is only ever shown inside `other`.
  let tail: [Double]?
}

/// Makes traffic-like raw values: each group's share of the endpoint's volume, shaped by a daily
/// rhythm peaking in the group's local evening (or working day), a weekly rhythm, slow drifts
/// over days, wobbles over hours and a little noise.
///
/// Every component is a pure function of the plan's seed, the group's key and the bucket's
/// time, so the same bucket always gets the same value. Rhythms are sampled at the middle of the
/// bucket and vanish when a bucket spans a whole day (daily) or week (weekly).
enum DemoGenerator {
  static func generate(
    profile: DemoEndpointProfile, dimension: DemoDimension, plan: DemoSeriesPlan, axis: DemoTimeAxis,
    interval: DemoAggInterval
  ) -> DemoRawSeries {
    let frame = Frame(profile: profile, plan: plan, timestamps: axis.timestamps, interval: interval)
    var rows: [[Double]] = []
    rows.reserveCapacity(plan.visible.count)
    for index in plan.visible {
      let group = dimension.groups[index]
      let keySeed = SeededRandom.hash(group.key)
      var share = group.weight
      if plan.tilted { share *= exp(0.6 * SeededRandom.signed(SeededRandom.combine(plan.seed, keySeed))) }
      let row = frame.row(share: share, utcOffset: group.utcOffset, amplitude: group.amplitude, keySeed: keySeed)
      rows.append(filled(row, axis.filling, seed: SeededRandom.combine(plan.seed, keySeed)))
    }
    let tailSeed = SeededRandom.hash("\u{0}tail")
    let tail =
      plan.tailWeight > 0
      ? filled(
        frame.row(share: plan.tailWeight, utcOffset: 0, amplitude: 0.8, keySeed: tailSeed), axis.filling,
        seed: SeededRandom.combine(plan.seed, tailSeed)) : nil
    return DemoRawSeries(groups: plan.visible, rows: rows, tail: tail)
  }

  /// `row` with its last bucket still filling, when it is (see ``DemoFilling``).
  private static func filled(_ row: [Double], _ filling: DemoFilling?, seed: UInt64) -> [Double] {
    guard let filling, !row.isEmpty else { return row }
    var row = row
    row[row.count - 1] *= filling.factor(seed: seed)
    return row
  }

  /// Everything that depends only on the bucket, computed once per series.
  private struct Frame {
    let seed: UInt64
    let count: Int
    let ticks: [Int64]
    /// Volume of a bucket before the group's share: volume × level × weekly rhythm × trend.
    let base: [Double]
    /// cos/sin of the daily phase θ and of 2θ (zero when buckets span whole days).
    let cos1, sin1, cos2, sin2: [Double]
    let daily: Double
    let slow: Knots
    let wobble: Knots
    let noise: Double

    init(profile: DemoEndpointProfile, plan: DemoSeriesPlan, timestamps: [Int64], interval: DemoAggInterval) {
      seed = plan.seed
      count = timestamps.count
      let step = interval.seconds
      let middles = timestamps.map { $0 + step / 2 }
      ticks = middles.map { DemoTimestamp.floorDiv($0, 900) }
      let trend = Knots(middles, spacing: 2 * DemoTimestamp.day)
      let trendValues = trend.values(seed: SeededRandom.combine(plan.seed, 0x7472_656E_64))
      let volume = profile.volumePerDay * Double(step) / Double(DemoTimestamp.day) * plan.level
      var base = [Double](repeating: 0, count: count)
      var c1 = base
      var s1 = base
      var c2 = base
      var s2 = base
      // Bucket middles of intervals under a day fall at the same offset within a quarter hour,
      // so the daily phase takes one of 96 values: compute those once.
      let offset = Double((step / 2) % 900)
      let phases = (0..<96).map { slot -> (Double, Double, Double, Double) in
        let theta = 2 * Double.pi * ((Double(slot) * 900 + offset) / 3_600 - profile.peakHour) / 24
        return (cos(theta), sin(theta), cos(2 * theta), sin(2 * theta))
      }
      for i in 0..<count {
        let t = middles[i]
        var weekly = 1.0
        if step < DemoTimestamp.week {
          // Interpolate between weekday factors from noon to noon, so the week has no steps.
          let fromNoon = t - DemoTimestamp.day / 2
          let day = DemoTimestamp.floorDiv(fromNoon, DemoTimestamp.day)
          let f = Double(fromNoon - day * DemoTimestamp.day) / Double(DemoTimestamp.day)
          let today = profile.weekly[DemoTimestamp.weekday(day * DemoTimestamp.day)]
          let tomorrow = profile.weekly[DemoTimestamp.weekday((day + 1) * DemoTimestamp.day)]
          weekly = today + (tomorrow - today) * f * f * (3 - 2 * f)
        }
        base[i] = volume * weekly * (1 + 0.04 * trend.sample(trendValues, i))
        if step < DemoTimestamp.day {
          let slot = Int((t - DemoTimestamp.floorDiv(t, DemoTimestamp.day) * DemoTimestamp.day) / 900)
          (c1[i], s1[i], c2[i], s2[i]) = phases[slot]
        }
      }
      self.base = base
      (cos1, sin1, cos2, sin2) = (c1, s1, c2, s2)
      daily = step < DemoTimestamp.day ? profile.diurnalAmplitude : 0
      slow = Knots(middles, spacing: 3 * DemoTimestamp.day)
      wobble = Knots(middles, spacing: 6 * DemoTimestamp.hour)
      noise = 0.025 / (Double(step) / 900).squareRoot()
    }

    func row(share: Double, utcOffset: Double, amplitude: Double, keySeed: UInt64) -> [Double] {
      let groupSeed = SeededRandom.combine(seed, keySeed)
      let slowValues = slow.values(seed: SeededRandom.combine(groupSeed, 1))
      let wobbleValues = wobble.values(seed: SeededRandom.combine(groupSeed, 2))
      let noiseSeed = SeededRandom.combine(groupSeed, 3)
      let phi = 2 * Double.pi * utcOffset / 24
      let a1 = daily * amplitude
      let a2 = 0.3 * a1
      let (cp, sp, c2p, s2p) = (cos(phi), sin(phi), cos(2 * phi), sin(2 * phi))
      // Per bucket: cos(θ + φ) and cos(2θ + 2φ) from the precomputed θ terms, times the drifts.
      return [Double](unsafeUninitializedCapacity: count) { out, initialized in
        cos1.withUnsafeBufferPointer { cos1 in
          sin1.withUnsafeBufferPointer { sin1 in
            cos2.withUnsafeBufferPointer { cos2 in
              sin2.withUnsafeBufferPointer { sin2 in
                base.withUnsafeBufferPointer { base in
                  for i in 0..<count {
                    let rhythm =
                      1 + a1 * (cos1[i] * cp - sin1[i] * sp) + a2 * (cos2[i] * c2p - sin2[i] * s2p)
                    let drift = (1 + 0.06 * slow.sample(slowValues, i)) * (1 + 0.05 * wobble.sample(wobbleValues, i))
                    let jitter = 1 + noise * SeededRandom.signed(noiseSeed ^ UInt64(bitPattern: ticks[i]))
                    out[i] = base[i] * share * rhythm * drift * jitter
                  }
                }
              }
            }
          }
        }
        initialized = count
      }
    }
  }

  /// Smooth noise: random values at knots `spacing` apart, blended with a smoothstep between.
  private struct Knots {
    let first: Int64
    let knotCount: Int
    let index: [Int]
    let weight: [Double]

    init(_ times: [Int64], spacing: Int64) {
      first = times.first.map { DemoTimestamp.floorDiv($0, spacing) } ?? 0
      var index = [Int](repeating: 0, count: times.count)
      var weight = [Double](repeating: 0, count: times.count)
      for (i, t) in times.enumerated() {
        let k = DemoTimestamp.floorDiv(t, spacing)
        let f = Double(t - k * spacing) / Double(spacing)
        index[i] = Int(k - first)
        weight[i] = f * f * (3 - 2 * f)
      }
      knotCount = (index.last ?? 0) + 2
      self.index = index
      self.weight = weight
    }

    /// The knot values for `seed`, in [-1, 1).
    func values(seed: UInt64) -> [Double] {
      (0..<knotCount).map { SeededRandom.signed(SeededRandom.combine(seed, UInt64(bitPattern: first + Int64($0)))) }
    }

    @inline(__always)
    func sample(_ values: [Double], _ i: Int) -> Double {
      let k = index[i]
      let w = weight[i]
      return values[k] + (values[k + 1] - values[k]) * w
    }

  }
}
