import Foundation
import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// The shared rate budget's lock file (the window itself is RateBudgetStateTests' and
/// SharedClientTests').
@Suite struct SharedRateBudgetTests {
  /// Adversary finding 5: a stopped process holding a budget's lock added the whole lock wait to
  /// every upstream attempt of every other process. The first attempt waits it out (and counts
  /// against its own process's limit only); later ones only try briefly (no wait runs out again);
  /// once the lock is free, the shared budget is used again.
  @Test func aStuckBudgetLockIsWaitedOutOnce() async throws {
    let dir = try TemporaryDirectory()
    let directory = CacheDirectory(path: dir.path + "/cache")
    let budget = SharedRateBudget(
      directory: directory, upstream: "https://api.cloudflare.com:443/client/v4", credentials: { .apiToken("t") },
      lockWait: .milliseconds(200))
    #expect(try await budget.reserve(.cloudflare, affordable: .seconds(10)) == .slot(wait: .zero))
    let file = try #require(Files.list(directory.budgets).first?.name)
    guard let held = await LockFile.takeForTest(directory.budgets + "/" + file) else { return }
    for _ in 0..<6 { #expect(try await budget.reserve(.cloudflare, affordable: .seconds(10)) == nil) }
    #expect(budget.lockWaitsRunOut == 1)
    held.release()
    await LockFile.waitUntilFree(directory.budgets + "/" + file)
    #expect(try await budget.reserve(.cloudflare, affordable: .seconds(10)) == .slot(wait: .zero))
  }

  /// Adversary adv1, F9: each new process paid one whole wait for a budget's lock a stopped
  /// process holds. The wait counts from the holder's last sign of life, so a lock held untouched
  /// for longer than it is given up at once by a process that never waited for it.
  @Test(.timeLimit(.minutes(10))) func aBudgetLockHeldUntouchedForLongIsNotWaitedFor() async throws {
    let dir = try TemporaryDirectory()
    let directory = CacheDirectory(path: dir.path + "/cache")
    func budget() -> SharedRateBudget {
      SharedRateBudget(
        directory: directory, upstream: "https://api.cloudflare.com:443/client/v4", credentials: { .apiToken("t") },
        lockWait: .seconds(3600))
    }
    #expect(try await budget().reserve(.cloudflare, affordable: .seconds(10)) == .slot(wait: .zero))
    let file = directory.budgets + "/" + (try #require(Files.list(directory.budgets).first?.name))
    guard let held = await LockFile.takeForTest(file) else { return }
    defer { held.release() }
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: file)
    // A new process: waited for 3600 s, this would outlast the time limit.
    let fresh = budget()
    #expect(try await fresh.reserve(.cloudflare, affordable: .seconds(10)) == nil)
    #expect(fresh.lockWaitsRunOut == 1)
  }
}
