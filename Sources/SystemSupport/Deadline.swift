#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A point in time on the clock ``Condition`` waits on (`pthread_cond_timedwait`'s clock), in
/// nanoseconds: `CLOCK_MONOTONIC` on Linux, so that a change of the wall clock can neither
/// stretch nor cut a wait; the wall clock on Darwin, whose condition variables only wait on that.
public struct Deadline: Comparable, Sendable {
  let nanoseconds: UInt64

  public static func now() -> Deadline {
    var ts = timespec()
    #if os(Linux)
      clock_gettime(CLOCK_MONOTONIC, &ts)
    #else
      clock_gettime(CLOCK_REALTIME, &ts)
    #endif
    return Deadline(nanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
  }

  /// `duration` from now (now itself for a negative duration).
  public static func after(_ duration: Duration) -> Deadline {
    let nanoseconds = max(0, duration / .nanoseconds(1))
    return Deadline(nanoseconds: now().nanoseconds + UInt64(min(nanoseconds, Double(UInt64.max >> 2))))
  }

  /// True once the deadline has passed.
  public var hasPassed: Bool { Deadline.now() >= self }

  var cTimespec: timespec {
    timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
  }

  public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
