/// The time axis of one series: its window (as `meta.dateRange` reports it) and its buckets.
struct DemoTimeAxis: Sendable, Equatable {
  /// Start and end of the window, in seconds since 1970 (UTC).
  let start: Int64
  let end: Int64
  /// Bucket start times, aligned to the interval, ascending.
  let timestamps: [Int64]
  /// Set when the last bucket is the current one, still filling (relative windows only).
  var filling: DemoFilling? = nil
}

/// The current bucket, still filling: until it closes, its value is the bucket's final value
/// times a deviation that changes with every second of the clock and shrinks as the bucket
/// fills, to none at its end. So an answer, and a subscription's poll, differs from one second
/// to the next, and the same clock always gives the same answer (`protocol/demo.md`, Time).
struct DemoFilling: Sendable, Equatable {
  /// Seconds since the bucket began, less than `length`.
  let elapsed: Int64
  /// The bucket's length in seconds.
  let length: Int64

  /// The largest deviation, at the start of a bucket.
  static let amplitude = 0.2

  /// The factor for the series row seeded `seed` (a group of a series).
  func factor(seed: UInt64) -> Double {
    let open = 1 - Double(elapsed) / Double(length)
    return 1 + Self.amplitude * open * SeededRandom.signed(SeededRandom.combine(seed, UInt64(bitPattern: elapsed)))
  }
}

/// How one series asked for its window, before the interval is known.
enum DemoWindow: Sendable, Equatable {
  /// `dateRange=<n>d|<n>w[control]`: the last `days` days, moved back `shiftDays` for a control.
  case relative(days: Int64, shiftDays: Int64)
  /// `dateStart`/`dateEnd`, floored to 15 minutes; the end is inclusive.
  case explicit(start: Int64, end: Int64)

  /// The default when no series has a date parameter: the last seven days.
  static let fallback = DemoWindow.relative(days: 7, shiftDays: 0)

  var duration: Int64 {
    switch self {
    case .relative(let days, _): days * DemoTimestamp.day
    case .explicit(let start, let end): end - start
    }
  }

  /// Reads a series' date parameters. Explicit dates win over `dateRange`; a series with neither
  /// returns `nil` (it then takes the main series' window).
  static func parse(_ spec: DemoSeriesSpec, now: Int64) throws(RadarError) -> DemoWindow? {
    if spec.dateStart != nil || spec.dateEnd != nil {
      let quarter: Int64 = 900
      var end = DemoTimestamp.floor(now, to: quarter)
      if let text = spec.dateEnd {
        guard let value = DemoTimestamp.parse(text) else {
          throw DemoError.invalid("dateEnd must be an RFC 3339 date-time (got '\(text)')")
        }
        end = DemoTimestamp.floor(value, to: quarter)
      }
      var start = end - 7 * DemoTimestamp.day
      if let text = spec.dateStart {
        guard let value = DemoTimestamp.parse(text) else {
          throw DemoError.invalid("dateStart must be an RFC 3339 date-time (got '\(text)')")
        }
        start = DemoTimestamp.floor(value, to: quarter)
      }
      guard start <= end else { throw DemoError.invalid("dateStart must not be after dateEnd") }
      return .explicit(start: start, end: end)
    }
    guard let text = spec.dateRange else { return nil }
    return try relative(text)
  }

  /// `7d`, `2w`, `7dcontrol`, `10dControl`: days up to 364, weeks up to 52. A control window is
  /// shifted back by the window's length rounded up to whole weeks.
  static func relative(_ text: String) throws(RadarError) -> DemoWindow {
    var body = Substring(text.lowercased())
    let control = body.hasSuffix("control")
    if control { body = body.dropLast(7) }
    guard let unit = body.last, unit == "d" || unit == "w", let n = Int64(body.dropLast()), n >= 1,
      unit == "d" ? n <= 364 : n <= 52, body.first?.isNumber == true
    else {
      throw DemoError.invalid(
        "dateRange must look like 7d, 2w or 7dcontrol (days up to 364, weeks up to 52), got '\(text)'")
    }
    let days = unit == "w" ? n * 7 : n
    return .relative(days: days, shiftDays: control ? (days + 6) / 7 * 7 : 0)
  }

  /// The axis of this window for `interval`. Relative windows end with the current bucket, still
  /// filling (a control window, shifted back, with the bucket as far back); explicit windows
  /// include the bucket at their end, but never an incomplete one.
  func axis(_ interval: DemoAggInterval, now: Int64) -> DemoTimeAxis {
    let step = interval.seconds
    let start: Int64
    let end: Int64
    let lastBucket: Int64
    var filling: DemoFilling? = nil
    switch self {
    case .relative(let days, let shift):
      let current = DemoTimestamp.floor(now, to: step, origin: interval.origin)
      end = current + step - shift * DemoTimestamp.day
      start = end - days * DemoTimestamp.day
      lastBucket = end - step
      if shift == 0 { filling = DemoFilling(elapsed: now - current, length: step) }
    case .explicit(let s, let e):
      start = s
      end = e
      lastBucket = min(DemoTimestamp.floor(e, to: step, origin: interval.origin), now - step)
    }
    let first = DemoTimestamp.floor(start, to: step, origin: interval.origin)
    var timestamps: [Int64] = []
    if lastBucket >= first {
      timestamps.reserveCapacity(Int((lastBucket - first) / step) + 1)
      var t = first
      while t <= lastBucket {
        timestamps.append(t)
        t += step
      }
    }
    return DemoTimeAxis(start: start, end: end, timestamps: timestamps, filling: timestamps.isEmpty ? nil : filling)
  }

  /// Resolves every series' window and the interval: series without dates take the main series'
  /// window (or the last seven days), all windows must last as long as the main one, and the
  /// interval must not be too fine for that length.
  static func resolve(_ series: [DemoSeriesSpec], interval requested: DemoAggInterval?, now: Int64)
    throws(RadarError) -> (interval: DemoAggInterval, axes: [DemoTimeAxis])
  {
    var windows: [DemoWindow] = []
    for spec in series {
      windows.append(try parse(spec, now: now) ?? windows.first ?? fallback)
    }
    let duration = windows[0].duration
    for window in windows.dropFirst() where window.duration != duration {
      throw DemoError.invalid("All series must resolve to the same duration as the main series")
    }
    guard duration <= DemoAggInterval.longestRange else {
      throw DemoError.invalid(
        "The date range is too long: at most \(DemoAggInterval.longestRange / DemoTimestamp.day) days")
    }
    let interval = requested ?? DemoAggInterval.automatic(for: duration)
    guard duration <= interval.maximumRange else {
      let coarser = DemoAggInterval.automatic(for: duration).wire
      throw DemoError.invalid(
        "aggInterval \(interval.wire) is too granular for a date range of \(describe(duration)); use \(coarser) or coarser"
      )
    }
    return (interval, windows.map { $0.axis(interval, now: now) })
  }

  private static func describe(_ seconds: Int64) -> String {
    let days = Double(seconds) / Double(DemoTimestamp.day)
    return days == days.rounded() ? "\(Int(days)) days" : "\(Int((days * 24).rounded())) hours"
  }
}
