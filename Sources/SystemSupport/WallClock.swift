#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The time of day (`CLOCK_REALTIME`) in milliseconds since the Unix epoch: the one clock every
/// process of the machine reads alike, so the shared cache stamps entries and rate-limit slots
/// with it. It can jump (NTP, a user setting the date); its readers bound what a jump can do.
public enum WallClock {
  public static func milliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
  }

  /// The same clock in nanoseconds since the Unix epoch.
  public static func nanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
  }
}
