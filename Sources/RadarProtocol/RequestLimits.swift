/// Bounds on the work one Radar call may ask for, checked before anything else about its
/// params (contract §5, §7), so an oversized request costs next to nothing to refuse.
public struct RequestLimits: Sendable, Equatable {
  /// The default of `--max-series`.
  public static let defaultMaxSeries = 32

  /// The most series one request may ask for (`--max-series`): the length of the `series` array
  /// or of any per-series parameter's array.
  public var maxSeries: Int

  public init(maxSeries: Int = RequestLimits.defaultMaxSeries) { self.maxSeries = maxSeries }
}
