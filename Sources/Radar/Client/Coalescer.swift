/// The table of shared upstream calls in flight ("flights"), keyed by canonical request, in the
/// manner of Go's singleflight, with the fixes its issue threads call for.
///
/// It only keeps the books; ``RadarClient`` (its owner) runs the calls and resumes waiters:
/// - the shared call runs in a task the client owns, never in a caller's task;
/// - each waiter can leave on its own (cancellation) and is handed back to be resumed at once;
/// - when the last waiter leaves, the flight's task is handed back to be cancelled and the key
///   is removed in the same step, so a later caller starts a fresh call;
/// - a flight that finishes hands back all its current waiters exactly once.
struct Coalescer {
  /// One caller waiting for a flight.
  struct Waiter {
    let continuation: CheckedContinuation<RadarResult, any Error>
    let progress: (@Sendable (RadarProgress) -> Void)?
  }

  private struct Flight {
    let id: UInt64
    var task: Task<Void, Never>?
    var waiters: [UInt64: Waiter]
  }

  private var flights: [String: Flight] = [:]
  private var lastID: UInt64 = 0

  /// A fresh identifier for a waiter or a flight.
  mutating func makeID() -> UInt64 {
    lastID &+= 1
    return lastID
  }

  /// Flights in flight.
  var count: Int { flights.count }

  /// Adds `waiter` to the flight for `key`, creating the flight when there is none.
  /// - Returns: the flight's id, and whether it is new (the caller must then ``attach(_:to:flight:)`` its task).
  mutating func join(_ key: String, waiterID: UInt64, _ waiter: Waiter) -> (flight: UInt64, isNew: Bool) {
    if flights[key] != nil {
      flights[key]!.waiters[waiterID] = waiter
      return (flights[key]!.id, false)
    }
    let id = makeID()
    flights[key] = Flight(id: id, task: nil, waiters: [waiterID: waiter])
    return (id, true)
  }

  /// Records the task that runs a new flight (so the last waiter out can cancel it).
  mutating func attach(_ task: Task<Void, Never>, to key: String, flight: UInt64) {
    guard flights[key]?.id == flight else {
      task.cancel()
      return
    }
    flights[key]!.task = task
  }

  /// Removes a waiter who gave up.
  /// - Returns: the waiter to resume (nil if it had already been answered), and the flight's
  ///   task to cancel when it was the last waiter (the key is removed already).
  mutating func leave(_ key: String, waiterID: UInt64) -> (waiter: Waiter?, abandoned: Task<Void, Never>?) {
    guard let waiter = flights[key]?.waiters.removeValue(forKey: waiterID) else { return (nil, nil) }
    guard flights[key]!.waiters.isEmpty else { return (waiter, nil) }
    let task = flights.removeValue(forKey: key)!.task
    return (waiter, task)
  }

  /// Ends a flight. Returns its waiters, or `nil` when the flight is no longer current (every
  /// waiter left, and perhaps a new flight took the key).
  mutating func finish(_ key: String, flight: UInt64) -> [Waiter]? {
    guard flights[key]?.id == flight else { return nil }
    return Array(flights.removeValue(forKey: key)!.waiters.values)
  }

  /// The progress callbacks of a flight's current waiters.
  func progressHandlers(_ key: String, flight: UInt64) -> [@Sendable (RadarProgress) -> Void] {
    guard let current = flights[key], current.id == flight else { return [] }
    return current.waiters.values.compactMap(\.progress)
  }
}
