import Diagnostics
import SystemSupport

/// One rate budget per credential for all the user's radar-rpc processes: Cloudflare counts
/// requests per user (1200 per 5 minutes, research/radar-api.md §d), not per process, so the
/// processes of one user draw on one window (`--rate-limit`) kept in ``CacheDirectory``'s
/// `budgets/`, and a 429's `Retry-After` seen by one holds back the others (for at most one
/// window of the rate limit: Cloudflare's own is 5 minutes). The process that got the 429 goes on
/// as it would alone: its retry policy already honours the `Retry-After` (contract §6, §7).
///
/// A budget's file is named by the SHA-256 of the base URL and the credential, so it never holds
/// or names the credential; processes with other credentials or another upstream have budgets of
/// their own. The file is also the budget's lock (`flock(2)`): each change is read, made and
/// written back in place by the process holding it. When the file cannot be used (no directory, a
/// lock held past ``lockWait``), the caller falls back on its own process's limiter; once a budget's
/// lock stayed held for a whole ``lockWait`` (a stopped process holds it), later calls only try it
/// briefly until they get it again, so a stuck lock does not add ``lockWait`` to every call.
public final class SharedRateBudget: Sendable {
  public let directory: CacheDirectory
  /// The base URL: budgets of different upstreams are different budgets.
  private let upstream: String
  /// The credentials the next attempt sends (read on every attempt: `initialize` may change them).
  private let credentials: @Sendable () -> Credentials?
  private let wallClock: @Sendable () -> Int64
  /// The longest a process waits for a budget's lock before it goes on alone.
  let lockWait: Duration
  /// How far ahead a process sharing the budget reserves a slot at most (the retry budget, what a
  /// call can afford); starts read further ahead than this and one window are not believed.
  private let horizon: Duration
  private let prepared: PreparedDirectory
  /// This process among those sharing the budget: the holder of the holds it sets.
  private let process = UInt64.random(in: 1...UInt64.max)
  /// The budget file whose lock stayed held for a whole ``lockWait`` and has not been taken since.
  private let stuckLock = Locked<String?>(nil)
  private let waitsRunOut = Locked(0)

  /// Calls that waited the whole ``lockWait`` for a budget's lock in vain (for tests).
  var lockWaitsRunOut: Int { waitsRunOut.withLock { $0 } }

  /// How briefly a call tries a budget's lock once it stayed held for a whole ``lockWait``.
  private static let stuckLockWait = Duration.milliseconds(50)

  /// - Parameters:
  ///   - upstream: the base URL the attempts go to.
  ///   - credentials: what the backend will send; `nil` (no credentials) means no shared budget.
  ///   - horizon: the retry budget (`RetryPolicy.budget`): no call waits longer for a slot.
  ///   - wallClock: milliseconds since the epoch; the system's wall clock by default (tests inject one).
  public init(
    directory: CacheDirectory, upstream: String, credentials: @escaping @Sendable () -> Credentials?,
    lockWait: Duration = .seconds(2), horizon: Duration = .zero, wallClock: (@Sendable () -> Int64)? = nil
  ) {
    self.horizon = horizon
    self.directory = directory
    self.upstream = upstream
    self.credentials = credentials
    self.lockWait = lockWait
    self.wallClock = wallClock ?? { WallClock.milliseconds() }
    self.prepared = .shared(directory)
  }

  /// What a reservation got.
  enum Reservation: Sendable, Hashable {
    /// The attempt may start `wait` from now (zero: at once); the slot is taken.
    case slot(wait: Duration)
    /// The first slot is `wait` away (another process's `Retry-After` hold when `byRetryAfter`,
    /// else the window full), more than the caller can afford; no slot was taken.
    case heldOff(wait: Duration, byRetryAfter: Bool)
  }

  /// Takes the next slot of the shared window of `limit` (counted with this process's own limit),
  /// unless it is further away than `affordable`: the call then ends at once (contract §7) instead
  /// of waiting for it. `nil` when the shared budget cannot be used now (the caller then relies on
  /// its own limiter).
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits for the lock.
  func reserve(_ limit: RateLimit, affordable: Duration) async throws -> Reservation? {
    try await update(window: limit.per) { state, now in
      let slot = state.firstSlot(limit, now: now, process: process)
      let wait = Duration.milliseconds(slot - now)
      guard wait <= affordable else {
        return .heldOff(wait: wait, byRetryAfter: slot == state.heldUntil(process, now: now))
      }
      state.take(slot, keeping: limit.requests)
      return .slot(wait: wait)
    }
  }

  /// Holds the other processes' attempts with these credentials back for `seconds` (a
  /// `Retry-After`), but for no longer than `atMost` (the rate limit's window).
  func hold(forSeconds seconds: Double, atMost: Duration) async throws {
    guard seconds.isFinite, seconds > 0 else { return }
    let milliseconds = min(Int64((min(seconds, 86_400) * 1000).rounded(.up)), Self.farthest(atMost))
    _ = try await update(window: atMost) { state, now in state.hold(until: now + milliseconds, by: process) }
  }

  /// `window` (of the rate limit, or a horizon) in milliseconds, at most a day.
  private static func farthest(_ window: Duration) -> Int64 {
    Int64((min(window / .seconds(1), 86_400) * 1000).rounded(.up))
  }

  /// The budget's file name: SHA-256 of the upstream and the credential, never either itself.
  private func name() -> String? {
    guard let credentials = credentials() else { return nil }
    var sha = SHA256()
    sha.update("radar-rpc rate budget 1\u{0}\(upstream)\u{0}")
    switch credentials {
    case .apiToken(let token): sha.update("token\u{0}\(token)")
    case .apiKey(let email, let key): sha.update("key\u{0}\(email)\u{0}\(key)")
    }
    return SHA256.hex(sha.finalize())
  }

  /// Reads, changes and writes the budget's state under its lock. The state lives in the lock
  /// file itself, read and rewritten in place by the lock's holder only (no temporary file and no
  /// rename on every upstream attempt); a state a killed writer left unreadable counts as empty,
  /// and times in it too far ahead (``RateBudgetState/clamp(now:window:horizon:)``) are clamped.
  private func update<T>(window: Duration, _ change: (inout RateBudgetState, Int64) -> T) async throws -> T? {
    guard prepared.isReady, let name = name() else { return nil }
    let path = directory.budgets + "/" + name
    let stuck = stuckLock.withLock { $0 == path }
    let lock: HeldLock
    switch try await DiskCache.lock(path, within: stuck ? min(lockWait, Self.stuckLockWait) : lockWait) {
    case .acquired(let held):
      lock = held
      if stuck { stuckLock.withLock { $0 = nil } }
    case .busy:
      if !stuck {
        stuckLock.withLock { $0 = path }
        waitsRunOut.withLock { $0 += 1 }
        Logger.shared.info(
          "the shared rate budget's lock stayed held for \(lockWait) (a stopped radar-rpc?); calls count against "
            + "this process's limit only, and do not wait for that lock, until it is free")
      }
      return nil
    case .failed:
      Logger.shared.info(
        "the shared rate budget's lock cannot be opened; this call counts against this process's limit only")
      return nil
    }
    defer { lock.release() }
    let now = wallClock()
    var state =
      Files.read(descriptor: lock.fileDescriptor, limit: 64 + 8 * 1_000_000).flatMap(RateBudgetState.init(encoded:))
      ?? .init()
    state.rebase(now: now)
    state.clamp(now: now, window: Self.farthest(window), horizon: Self.farthest(horizon))
    let outcome = change(&state, now)
    state.writtenAt = now
    let written = state.encoded.withUnsafeBytes { Files.overwrite(descriptor: lock.fileDescriptor, with: $0) }
    if !written { Logger.shared.info("could not write the shared rate budget in \(directory)") }
    return outcome
  }
}
