import Diagnostics
import SystemSupport

/// The result cache all the user's radar-rpc processes share (contract §6 across processes): a
/// result one process fetched answers the others from disk, a restarted process keeps what it
/// fetched, and while one process fetches a canonical request, the others that want it wait for
/// its result instead of fetching it too.
///
/// Results live in a ``DiskCache`` under ``CacheDirectory``, keyed by the base URL and the
/// canonical request (``RadarRequest/key``: no credential is part of it), fresh for `--cache-ttl`
/// (the shorter of the writer's and the reader's). Only results are stored, never an error.
/// Which credential fetched a result is not recorded: Radar's answers do not depend on it, and the
/// directory is private to the user (mode 0700), which is what keeps users of one machine apart.
///
/// Calls in flight are announced by a lock file per canonical request (`flights/`), held with
/// `flock(2)` by the process that fetches: the kernel releases it when that process finishes or
/// dies. A process that finds it held polls (never blocking a thread) for the result to appear,
/// or for the lock to come free — then it fetches itself — for at most ``flightWait``, plus the
/// time the fetching process says it waits for a rate-limit slot (``FlightRecord``). That wait
/// counts from the holder's last sign of life — taking the lock, or writing its record — not from
/// when the waiter asked: a process stopped while it fetches (Ctrl-Z) is waited for once by all
/// the user's processes together (who asks later fetches at once), while a live holder is waited
/// for by a late asker as long as by the first, whatever the first one's patience. Once
/// `store.lock` stayed held for a whole wait, stores only try it briefly until they get it again.
///
/// Errors are not shared: when the fetching process fails, the processes waiting for it take the
/// lead one after another and each makes its own attempts (see protocol/README.md).
public final class SharedCache: Sendable {
  public let directory: CacheDirectory
  /// The base URL, part of every key: answers of different upstreams never mix.
  private let upstream: String
  private let ttlMilliseconds: Int64
  let disk: DiskCache
  /// The longest a call waits for another process's call of the same request.
  let flightWait: Duration
  private let wallClock: @Sendable () -> Int64
  /// How long a lock file has gone untouched (``Files/untouched(_:)``; tests inject one).
  private let lockAge: @Sendable (String) -> Duration
  /// The longest a store waits for `store.lock`.
  private let storeLockWait: Duration
  /// How far ahead a fetching process's ``FlightRecord`` is believed (a window of the rate limit).
  private let queueHorizon: Duration
  private let prepared: PreparedDirectory
  private let counters = Locked(SharedCacheStats())
  private let memory = Locked(Memory())

  /// What this process remembers of the directory between calls.
  private struct Memory {
    /// `store.lock` stayed held for a whole wait, and has not been taken since.
    var storeLockStuck = false
    /// Stores that waited the whole `storeLockWait` for `store.lock` in vain.
    var storeLockWaitsRunOut = 0
    /// Files found unusable (counted once each, however often they are read).
    var rejectedFiles: Set<Files.Identity> = []

    /// Forgets everything of one kind once it holds this many (a bound, not a cache policy).
    static let most = 1_024
  }

  /// How briefly a store tries `store.lock` once it stayed held for a whole wait.
  private static let stuckLockWait = Duration.milliseconds(50)

  /// A stored time more than this ahead of the clock is not believed (a clock set back).
  private static let clockSlack: Int64 = 60_000

  /// - Parameters:
  ///   - upstream: the base URL the results come from.
  ///   - ttl: how long a result is fresh (`--cache-ttl`, more than zero).
  ///   - maxBytes: the most bytes the directory's results take (`--cache-max-bytes`).
  ///   - flightWait: the longest a call waits for another process's call (about what one call
  ///     may take with its retries), besides that process's wait for a rate-limit slot.
  ///   - queueHorizon: how far ahead another process's wait for a rate-limit slot is believed (a
  ///     window of `--rate-limit`).
  ///   - storeLockWait: the longest a store waits for `store.lock`.
  ///   - wallClock: milliseconds since the epoch; the system's wall clock by default (tests inject one).
  ///   - lockAge: how long a lock file has gone untouched; ``Files/untouched(_:)`` by default (tests
  ///     inject one: a process that finds a lock just taken, whatever the machine's load).
  public init(
    directory: CacheDirectory, upstream: String, ttl: Duration, maxBytes: Int, maxEntries: Int = 10_000,
    flightWait: Duration = .seconds(120), queueHorizon: Duration = .seconds(300), storeLockWait: Duration = .seconds(5),
    wallClock: (@Sendable () -> Int64)? = nil, lockAge: (@Sendable (String) -> Duration)? = nil
  ) {
    self.lockAge = lockAge ?? { Files.untouched($0) }
    self.directory = directory
    self.upstream = upstream
    self.ttlMilliseconds = Int64((ttl / .milliseconds(1)).rounded(.down))
    self.disk = DiskCache(directory: directory, maxBytes: maxBytes, maxEntries: maxEntries)
    self.flightWait = flightWait
    self.queueHorizon = max(queueHorizon, flightWait)
    self.storeLockWait = storeLockWait
    self.wallClock = wallClock ?? { WallClock.milliseconds() }
    self.prepared = .shared(directory)
  }

  /// The wall clock, in milliseconds since the epoch.
  func now() -> Int64 { wallClock() }

  /// The counters since start.
  public var stats: SharedCacheStats { counters.withLock { $0 } }

  /// Stores that waited the whole `storeLockWait` for `store.lock` in vain (for tests).
  var storeLockWaitsRunOut: Int { memory.withLock { $0.storeLockWaitsRunOut } }

  /// The full key of `request`: the base URL and the canonical request.
  func key(for request: RadarRequest) -> String { upstream + request.key }

  /// A fresh result for `request` on disk, or `nil`.
  /// - Parameter storedSince: when set, only a result stored at or after this instant will do
  ///   (a subscription poll wants a result fetched after it began).
  func cached(_ request: RadarRequest, storedSince: Int64? = nil) async -> RadarResult? {
    guard prepared.isReady else { return nil }
    return lookup(key(for: request), storedSince: storedSince)
  }

  private func lookup(_ key: String, storedSince: Int64?) -> RadarResult? {
    switch disk.read(key) {
    case .missing:
      return nil
    case .rejected(let defect):
      // Counted once per file: a waiter polling one damaged file reads it again and again.
      let file = Files.identity(disk.path(for: key))
      let new = memory.withLock { memory in
        guard let file else { return true }
        if memory.rejectedFiles.count >= Memory.most { memory.rejectedFiles.removeAll() }
        return memory.rejectedFiles.insert(file).inserted
      }
      if new {
        counters.withLock { $0.rejected += 1 }
        Logger.shared.debug("shared cache: ignored an entry that is not usable (\(defect))")
      }
      return nil
    case .found(let storedAt, let expiresAt, let result):
      let now = wallClock()
      guard storedAt <= now + Self.clockSlack, now < expiresAt, now < storedAt + ttlMilliseconds,
        storedAt >= storedSince ?? .min
      else { return nil }
      return RadarResult(encoded: result)
    }
  }

  /// Who answers a call that found nothing fresh.
  enum Lead: Sendable {
    /// A result another process stored while this one looked or waited.
    case answered(RadarResult, waited: Bool)
    /// This process fetches, and ``finish(_:storing:for:)`` stores the result and lets the others
    /// know. `lock` is `nil` when other processes cannot be told (no directory, or the wait
    /// for another process ran out).
    case fetch(lock: HeldLock?)
  }

  /// Tells the processes waiting for this one's call (held by `lock`) that it waits `wait` for a
  /// rate-limit slot: that does not count against their wait (``FlightRecord``).
  func queued(_ lock: HeldLock, for wait: Duration) {
    FlightRecord(queuedUntil: wallClock() + Int64((wait / .milliseconds(1)).rounded(.up))).write(lock)
  }

  /// Takes the lead for `request` across processes, or waits for the process that has it.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  func lead(_ request: RadarRequest, storedSince: Int64? = nil) async throws -> Lead {
    guard prepared.isReady else { return .fetch(lock: nil) }
    let key = key(for: request)
    let path = directory.flights + "/" + disk.fileName(for: key)
    var deadline: ContinuousClock.Instant?
    var record: FlightRecord?
    var waited = false
    var pause = Duration.milliseconds(2)
    defer { if waited { counters.withLock { $0.waiting -= 1 } } }
    while true {
      switch LockFile.tryLock(path) {
      case .acquired(let lock):
        // Stamped: the processes that find it held count their wait from now (a lock file a dead
        // process left would otherwise carry its old time).
        lock.touch()
        // The process we waited for (or one that finished just now) may have left the result.
        if let result = lookup(key, storedSince: storedSince) {
          lock.release(removingFile: true)
          return .answered(result, waited: waited)
        }
        return .fetch(lock: lock)
      case .failed(let code):
        Logger.shared.debug("shared cache: no lock file for a call in flight (errno \(code)); fetching alone")
        return .fetch(lock: nil)
      case .busy:
        if let result = lookup(key, storedSince: storedSince) { return .answered(result, waited: waited) }
        let now = ContinuousClock.now
        // Counted from the holder's last sign of life (taking the lock, writing its record).
        let deadlineNow = deadline ?? now + flightWait - min(lockAge(path), flightWait)
        deadline = deadlineNow
        // The fetching process waits for a rate-limit slot until the record's time: the wait for
        // it runs until then plus `flightWait` (believed at most `queueHorizon` ahead; a record of
        // the past extends nothing). Records are in `wallClock`'s time, as they are written.
        if let latest = FlightRecord.read(path), latest != record {
          record = latest
          let flightWaitMs = Int64(flightWait / .milliseconds(1))
          let ahead = min(max(-flightWaitMs, latest.queuedUntil - wallClock()), Int64(queueHorizon / .milliseconds(1)))
          deadline = max(deadlineNow, now + .milliseconds(ahead) + flightWait)
        }
        guard let deadline, now < deadline else {
          if waited {
            counters.withLock { $0.waitsTimedOut += 1 }
            Logger.shared.info("waited for another process's call of \(request.method); fetching it here")
          } else {
            Logger.shared.debug(
              "another process has held the call of \(request.method) for longer than a call may take; fetching it here"
            )
          }
          return .fetch(lock: nil)
        }
        if !waited {
          waited = true
          counters.withLock { $0.waiting += 1 }
          Logger.shared.debug("another process is fetching \(request.method); waiting for its result")
        }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(25))
      }
    }
  }

  /// Ends this process's lead: stores `result` (when the call succeeded) while still holding the
  /// lock, so a waiting process finds it as soon as the lock is free, then lets the lock go.
  func finish(_ lock: HeldLock?, storing result: RadarResult?, for request: RadarRequest) async {
    if let result { await store(result, for: request) }
    lock?.release(removingFile: true)
  }

  /// Writes `result` as the entry of `request` (best effort: a failure is counted and logged).
  /// Waits up to `storeLockWait` for `store.lock`; once it stayed held that long, only briefly,
  /// until a store gets it again (a stopped process holds it: answers are not held up each time).
  func store(_ result: RadarResult, for request: RadarRequest) async {
    guard prepared.isReady else { return }
    let now = wallClock()
    let stuck = memory.withLock { $0.storeLockStuck }
    let outcome: DiskCache.Store
    do {
      outcome = try await disk.store(
        result.encoded, for: key(for: request), storedAt: now, expiresAt: now + ttlMilliseconds,
        lockWait: stuck ? min(storeLockWait, Self.stuckLockWait) : storeLockWait)
    } catch {
      return  // cancelled while waiting for store.lock
    }
    memory.withLock { memory in
      if outcome == .busy {
        memory.storeLockStuck = true
        if !stuck { memory.storeLockWaitsRunOut += 1 }
      } else if case .stored = outcome {
        memory.storeLockStuck = false
      }
    }
    counters.withLock { counters in
      switch outcome {
      case .stored(let evicted):
        counters.stores += 1
        counters.evictions += evicted
      case .tooLarge: counters.tooLarge += 1
      case .busy, .failed: counters.storeFailures += 1
      }
    }
    switch outcome {
    case .busy where !stuck:
      Logger.shared.info(
        "store.lock in \(directory) stayed held for \(storeLockWait) (a stopped radar-rpc?); results are not "
          + "stored until it is free, and stores do not wait for it")
    case .failed: Logger.shared.info("could not write a result to the shared cache in \(directory)")
    default: break
    }
  }

  /// What ``clear(_:)`` did.
  public enum Cleared: Sendable, Hashable {
    /// Entry files and their bytes removed.
    case removed(files: Int, bytes: Int)
    /// No shared cache there (no `results/`): nothing was touched.
    case noCache
    /// The directory is one a server would refuse (another user's, not a directory): untouched;
    /// `reason` says why.
    case refused(reason: String)
    /// `store.lock` stayed held for 10 s: nothing was removed.
    case busy
  }

  /// Empties the cache (`radar-rpc --cache-clear`): every result, and the lock files of calls no
  /// process is making. Rate budgets are kept: clearing the cache must not reset Cloudflare's count.
  /// A directory without `results/` is left as it is (no `store.lock` is made in it), and one a
  /// server would refuse (``CacheDirectory``: another user's) is refused here too.
  /// - Throws: `CancellationError`.
  public static func clear(_ directory: CacheDirectory) async throws -> Cleared {
    guard Files.isDirectory(directory.results) else { return .noCache }
    do {
      try directory.prepare()
    } catch {
      return .refused(reason: error.description)
    }
    let disk = DiskCache(directory: directory, maxBytes: 0, maxEntries: 0)
    guard let (files, bytes) = try await disk.clear(lockWait: .seconds(10)) else { return .busy }
    return .removed(files: files, bytes: bytes)
  }
}

/// What the shared cache did since the process started (for `server.stats`).
public struct SharedCacheStats: Sendable, Hashable {
  /// Results written.
  public var stores = 0
  /// Older results removed to make room.
  public var evictions = 0
  /// Results larger than `--cache-max-bytes`, not written.
  public var tooLarge = 0
  /// Writes that failed (a full disk, `store.lock` held too long).
  public var storeFailures = 0
  /// Files found where an entry should be that were not usable (torn, damaged or foreign): ignored,
  /// and counted once each however often they are read.
  public var rejected = 0
  /// Waits for another process's call that ran out (this process then fetched itself).
  public var waitsTimedOut = 0
  /// Calls waiting for another process's call of the same request right now.
  public var waiting = 0

  public init() {}
}
