import Foundation
import JSON
import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// The shared cache between "processes" (instances on one directory; a lock file's `flock` is
/// per open file, so two instances in one process contend as two processes do): freshness by
/// TTL, keys scoped by upstream, and the lead for a call in flight — taken, waited for, handed
/// over when its holder lets go without a result, and given up when the wait runs out.
@Suite struct SharedCacheTests {
  /// A settable wall clock, in milliseconds.
  final class Clock: Sendable {
    private let value = Locked<Int64>(1_000_000)
    var now: Int64 { value.withLock { $0 } }
    func set(_ t: Int64) { value.withLock { $0 = t } }
    var closure: @Sendable () -> Int64 { { self.now } }
  }

  private static let upstream = "https://api.cloudflare.com/client/v4"

  private static func cache(
    _ dir: TemporaryDirectory, clock: Clock, upstream: String = upstream, ttl: Duration = .seconds(60),
    flightWait: Duration = .seconds(600), findsLocksJustTaken: Bool = false
  ) -> SharedCache {
    SharedCache(
      directory: CacheDirectory(path: dir.path + "/cache"), upstream: upstream, ttl: ttl, maxBytes: 1 << 20,
      flightWait: flightWait, wallClock: clock.closure, lockAge: findsLocksJustTaken ? justTaken : nil)
  }

  private static func result(_ n: Int) -> RadarResult { .numbered(n) }

  /// A lock age for a process that finds every lock just taken.
  private static let justTaken: @Sendable (String) -> Duration = { _ in .zero }

  /// A call in flight between two instances on one fresh directory: `holder` has the lead for the
  /// request (held by `lock`), `other` would wait for it up to its `flightWait`. How every test of
  /// the lead starts.
  private struct CallInFlight {
    let dir: TemporaryDirectory
    let clock: Clock
    let holder: SharedCache
    let other: SharedCache
    let lock: HeldLock
  }

  private struct NoLead: Error, CustomStringConvertible {
    var description: String { "the first call did not get the lead" }
  }

  /// `holder` takes the lead for `request`; `other` waits up to `otherWaits`. Throws when the lead
  /// was not taken.
  private static func callInFlight(_ request: RadarRequest = .ct(), otherWaits: Duration = .seconds(600))
    async throws -> CallInFlight
  {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let holder = cache(dir, clock: clock)
    // It finds the lock just taken, however long the machine took to get here: it waits its bound.
    let other = cache(dir, clock: clock, flightWait: otherWaits, findsLocksJustTaken: true)
    guard case .fetch(let lock?) = try await holder.lead(request) else { throw NoLead() }
    return CallInFlight(dir: dir, clock: clock, holder: holder, other: other, lock: lock)
  }

  @Test func aResultIsFreshForTheShorterOfTheWritersAndTheReadersTTL() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let writer = Self.cache(dir, clock: clock, ttl: .seconds(60))
    let shortReader = Self.cache(dir, clock: clock, ttl: .seconds(10))
    await writer.store(Self.result(1), for: .ct())
    clock.set(1_009_999)
    #expect(await shortReader.cached(.ct())?.call == 1)
    clock.set(1_010_000)
    #expect(await shortReader.cached(.ct()) == nil)
    #expect(await writer.cached(.ct())?.call == 1)
    clock.set(1_060_000)
    #expect(await writer.cached(.ct()) == nil)
  }

  @Test func aResultStoredBeforeAPollBeganDoesNotAnswerIt() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = Self.cache(dir, clock: clock)
    await cache.store(Self.result(1), for: .ct())
    #expect(await cache.cached(.ct(), storedSince: 1_000_001) == nil)
    #expect(await cache.cached(.ct(), storedSince: 1_000_000)?.call == 1)
  }

  @Test func answersOfAnotherUpstreamAreNeverServed() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    await Self.cache(dir, clock: clock, upstream: "http://127.0.0.1:9999/client/v4").store(Self.result(1), for: .ct())
    #expect(await Self.cache(dir, clock: clock).cached(.ct()) == nil)
  }

  @Test func aWaiterTakesTheResultOfTheCallInFlight() async throws {
    let call = try await Self.callInFlight()
    let waiter = Task { try await call.other.lead(.ct()) }
    #expect(await waitUntil { call.other.stats.waiting == 1 })
    await call.holder.finish(call.lock, storing: Self.result(7), for: .ct())
    guard case .answered(let result, waited: true) = try await waiter.value else {
      Issue.record("the waiter did not take the result")
      return
    }
    #expect(result.call == 7)
    #expect(call.other.stats.waiting == 0)
    #expect(call.dir.files("cache/flights").isEmpty)
  }

  @Test func whenTheHolderLetsGoWithoutAResultAWaiterTakesTheLead() async throws {
    let call = try await Self.callInFlight()
    let waiter = Task { try await call.other.lead(.ct()) }
    #expect(await waitUntil { call.other.stats.waiting == 1 })
    await call.holder.finish(call.lock, storing: nil, for: .ct())  // failed (or died: the kernel lets go the same way)
    guard case .fetch(let taken?) = try await waiter.value else {
      Issue.record("the waiter did not take the lead")
      return
    }
    taken.release(removingFile: true)
  }

  @Test func aWaitThatRunsOutFetchesWithoutTheLead() async throws {
    let call = try await Self.callInFlight(otherWaits: .milliseconds(20))
    defer { call.lock.release(removingFile: true) }
    guard case .fetch(nil) = try await call.other.lead(.ct()) else {
      Issue.record("the wait did not run out")
      return
    }
    #expect(call.other.stats.waitsTimedOut == 1)
  }

  @Test func aCancelledWaiterStopsWaiting() async throws {
    let call = try await Self.callInFlight()
    defer { call.lock.release(removingFile: true) }
    let waiter = Task { try await call.other.lead(.ct()) }
    #expect(await waitUntil { call.other.stats.waiting == 1 })
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
    #expect(call.other.stats.waiting == 0)
  }

  @Test func differentRequestsDoNotWaitForEachOther() async throws {
    let call = try await Self.callInFlight(.ct("CA"))
    defer { call.lock.release(removingFile: true) }
    guard case .fetch(let other?) = try await call.other.lead(.ct("TLD")) else {
      Issue.record("another request waited")
      return
    }
    other.release(removingFile: true)
  }

  /// Adversary finding 5: a process stopped while it fetches (Ctrl-Z, SIGSTOP) holds its lock for
  /// good. The wait for it runs out once (or not at all, when the machine took longer than the
  /// bound to get there: the wait counts from the lock); later calls of that request fetch without
  /// waiting for that lock file again. A new call of it (a new lock file) is waited for as before.
  @Test func aLockWhoseWaitRanOutIsNotWaitedForAgain() async throws {
    let call = try await Self.callInFlight(otherWaits: .milliseconds(20))
    let (stopped, lock) = (call.holder, call.lock)
    let other = Self.cache(call.dir, clock: call.clock, flightWait: .milliseconds(20))
    for _ in 0..<3 {
      guard case .fetch(nil) = try await other.lead(.ct()) else {
        Issue.record("the other did not fetch on its own")
        return
      }
    }
    #expect(other.stats.waitsTimedOut <= 1)
    lock.release(removingFile: true)
    guard case .fetch(let next?) = try await stopped.lead(.ct()) else {
      Issue.record("the next call did not get the lead")
      return
    }
    defer { next.release(removingFile: true) }
    guard case .fetch(nil) = try await other.lead(.ct()) else {
      Issue.record("the other did not fetch on its own")
      return
    }
    #expect(other.stats.waitsTimedOut <= 2)
  }

  /// Adversary helper-23: the memory of a stuck lock was per process, so every new process (a new
  /// notebook kernel) paid one whole wait behind a stopped holder. A wait counts from the holder's
  /// last sign of life, so a process that asks after one wait ran out fetches at once.
  @Test func aStoppedHolderIsWaitedForOnceByAllProcesses() async throws {
    let call = try await Self.callInFlight(otherWaits: .milliseconds(20))
    defer { call.lock.release(removingFile: true) }
    guard case .fetch(nil) = try await call.other.lead(.ct()) else {
      Issue.record("the wait did not run out")
      return
    }
    #expect(call.other.stats.waitsTimedOut == 1)
    let later = Self.cache(call.dir, clock: call.clock, flightWait: .milliseconds(20))
    guard case .fetch(nil) = try await later.lead(.ct()) else {
      Issue.record("the new process did not fetch on its own")
      return
    }
    #expect(later.stats.waitsTimedOut == 0)
  }

  /// Adversary adv1, F4: a waiter with little patience (`--timeout 1 --retries 0`) whose wait ran
  /// out must not make a patient process skip its wait for a live holder (a duplicate upstream
  /// call): each waits by its own bound, counted from the holder's lock.
  @Test func aLiveHolderIsWaitedForByAPatientProcessWhateverAnImpatientOneDid() async throws {
    let call = try await Self.callInFlight(otherWaits: .milliseconds(20))
    guard case .fetch(nil) = try await call.other.lead(.ct()) else {
      call.lock.release(removingFile: true)
      Issue.record("the impatient wait did not run out")
      return
    }
    let patient = Self.cache(call.dir, clock: call.clock, flightWait: .seconds(600))
    let waiter = Task { try await patient.lead(.ct()) }
    #expect(await waitUntil { patient.stats.waiting == 1 })
    call.lock.release(removingFile: true)
    guard case .fetch(let taken?) = try await waiter.value else {
      Issue.record("the patient process did not wait for the holder")
      return
    }
    taken.release(removingFile: true)
    #expect(patient.stats.waitsTimedOut == 0)
  }

  /// A lock file a dead process left keeps its old time; whoever takes it stamps it, so the
  /// processes that then find it held wait for the new holder.
  @Test func aLockFileIsStampedWhenItIsTaken() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = Self.cache(dir, clock: clock)
    // Another request's lead makes the directory.
    if case .fetch(let other?) = try await cache.lead(.ct("TLD")) { other.release(removingFile: true) }
    let path = cache.directory.flights + "/" + cache.disk.fileName(for: cache.key(for: .ct()))
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
    guard case .fetch(let lock?) = try await cache.lead(.ct()) else {
      Issue.record("the call did not get the lead")
      return
    }
    defer { lock.release(removingFile: true) }
    let modified = try #require(Files.identity(path)).modified
    #expect(WallClock.nanoseconds() - modified < 60_000_000_000)
  }

  /// Adversary finding 6: a process whose call waits for a rate-limit slot says until when, and
  /// the processes waiting for its result wait that long on top of their own bound, instead of
  /// giving up and spending a second slot of a scarce budget on the same request.
  @Test func aWaiterWaitsWhileTheFetchingProcessIsQueuedForARateSlot() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let leader = Self.cache(dir, clock: clock)
    let waiter = Self.cache(dir, clock: clock, flightWait: .milliseconds(100))
    let witness = Self.cache(dir, clock: clock, flightWait: .milliseconds(300))
    guard case .fetch(let lock?) = try await leader.lead(.ct()),
      case .fetch(let other?) = try await leader.lead(.ct("TLD"))
    else {
      Issue.record("the leader did not get the lead")
      return
    }
    leader.queued(lock, for: .seconds(60))  // its slot is a minute away
    let waiting = Task { try await waiter.lead(.ct()) }
    #expect(await waitUntil { waiter.stats.waiting == 1 })
    // The witness begins waiting after the waiter, for a call that says nothing, with a longer
    // bound: once its wait ran out, the waiter's own bound has long passed.
    guard case .fetch(nil) = try await witness.lead(.ct("TLD")) else {
      Issue.record("the witness's wait did not run out")
      return
    }
    other.release(removingFile: true)
    #expect(waiter.stats.waitsTimedOut == 0 && waiter.stats.waiting == 1)
    await leader.finish(lock, storing: Self.result(7), for: .ct())
    guard case .answered(let result, waited: true) = try await waiting.value else {
      Issue.record("the waiter did not take the result")
      return
    }
    #expect(result.call == 7)
  }

  /// ... and believes it at most `queueHorizon` ahead: a record a day ahead with a horizon of
  /// 50 ms is waited for about that long, then the wait runs out.
  @Test(.timeLimit(.minutes(10))) func aQueuedRecordIsBelievedUpToTheHorizon() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let leader = Self.cache(dir, clock: clock)
    let waiter = SharedCache(
      directory: CacheDirectory(path: dir.path + "/cache"), upstream: Self.upstream, ttl: .seconds(60),
      maxBytes: 1 << 20, flightWait: .milliseconds(20), queueHorizon: .milliseconds(50), wallClock: clock.closure)
    guard case .fetch(let lock?) = try await leader.lead(.ct()) else {
      Issue.record("the leader did not get the lead")
      return
    }
    defer { lock.release(removingFile: true) }
    leader.queued(lock, for: .seconds(86_400))
    guard case .fetch(nil) = try await waiter.lead(.ct()) else {
      Issue.record("the wait did not run out")
      return
    }
    #expect(waiter.stats.waitsTimedOut == 1)
  }

  /// Adversary finding 10: a waiter polls the entry's file while it waits; a damaged file there is
  /// one rejected file, however often it is read. Another damaged file is another.
  @Test func aDamagedFileIsCountedOnceHoweverOftenItIsRead() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = Self.cache(dir, clock: clock)
    await cache.store(Self.result(1), for: .ct())
    let path = cache.disk.path(for: cache.key(for: .ct()))
    try #require(FileManager.default.createFile(atPath: path, contents: Data("garbage".utf8)))
    for _ in 0..<5 { #expect(await cache.cached(.ct()) == nil) }
    #expect(cache.stats.rejected == 1)
    try #require(FileManager.default.createFile(atPath: path, contents: Data("other garbage".utf8)))
    for _ in 0..<5 { #expect(await cache.cached(.ct()) == nil) }
    #expect(cache.stats.rejected == 2)
  }

  /// Adversary finding 5: a stopped process holding `store.lock` cost every answer the whole lock
  /// wait (5 s). The first store waits it out; later ones only try briefly (no wait runs out
  /// again); once the lock is free, stores go through again.
  @Test func aStuckStoreLockIsWaitedOutOnce() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = SharedCache(
      directory: CacheDirectory(path: dir.path + "/cache"), upstream: Self.upstream, ttl: .seconds(60),
      maxBytes: 1 << 20, storeLockWait: .milliseconds(200), wallClock: clock.closure)
    await cache.store(Self.result(0), for: .ct("A"))  // makes the directory
    guard let held = await LockFile.takeForTest(cache.directory.storeLock) else { return }
    for n in 1...6 { await cache.store(Self.result(n), for: .ct("B\(n)")) }
    #expect(cache.storeLockWaitsRunOut == 1)
    #expect(cache.stats.storeFailures == 6 && cache.stats.stores == 1)
    held.release()
    await LockFile.waitUntilFree(cache.directory.storeLock)
    await cache.store(Self.result(7), for: .ct("D"))
    #expect(cache.stats.stores == 2)
    #expect(await cache.cached(.ct("D"))?.call == 7)
  }

  /// Adversary finding 11: a user removes the cache directory while a process runs (`rm -rf
  /// ~/.cache/radar-rpc`); the process makes it again on its next use, instead of sharing nothing
  /// until it is restarted.
  @Test func aRemovedDirectoryIsMadeAgain() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = Self.cache(dir, clock: clock)
    await cache.store(Self.result(1), for: .ct())
    try FileManager.default.removeItem(atPath: dir.path + "/cache")
    #expect(await cache.cached(.ct()) == nil)
    await cache.store(Self.result(2), for: .ct())
    #expect(await cache.cached(.ct())?.call == 2)
    #expect(cache.stats.storeFailures == 0 && cache.stats.stores == 2)
    guard case .fetch(let lock?) = try await cache.lead(.ct("TLD")) else {
      Issue.record("no lock file for a call in flight")
      return
    }
    lock.release(removingFile: true)
  }
}
