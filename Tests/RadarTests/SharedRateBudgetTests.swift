import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// The shared rate budget's lock file (the window itself is RateBudgetStateTests' and
/// SharedClientTests').
@Suite struct SharedRateBudgetTests {
  /// Adversary finding 5: a stopped process holding a budget's lock added the whole lock wait to
  /// every upstream attempt of every other process. The first attempt waits it out (and counts
  /// against its own process's limit only); later ones only try briefly, so five of them together
  /// take less than the first alone; once the lock is free, the shared budget is used again.
  @Test func aStuckBudgetLockIsWaitedOutOnce() async throws {
    let dir = try TemporaryDirectory()
    let directory = CacheDirectory(path: dir.path + "/cache")
    let budget = SharedRateBudget(
      directory: directory, upstream: "https://api.cloudflare.com:443/client/v4", credentials: { .apiToken("t") },
      lockWait: .seconds(1))
    #expect(try await budget.reserve(.cloudflare, affordable: .seconds(10)) == .slot(wait: .zero))
    let file = try #require(Files.list(directory.budgets).first?.name)
    guard case .acquired(let held) = LockFile.tryLock(directory.budgets + "/" + file) else {
      Issue.record("could not take the budget's lock")
      return
    }
    let time = ContinuousClock()
    var reservations: [SharedRateBudget.Reservation?] = []
    let first = try await time.measure {
      reservations.append(try await budget.reserve(.cloudflare, affordable: .seconds(10)))
    }
    let five = try await time.measure {
      for _ in 0..<5 { reservations.append(try await budget.reserve(.cloudflare, affordable: .seconds(10))) }
    }
    #expect(reservations.count == 6 && reservations.allSatisfy { $0 == nil })
    #expect(first >= .seconds(1))
    #expect(five < first, "five attempts took \(five), the first alone \(first)")
    held.release()
    #expect(try await budget.reserve(.cloudflare, affordable: .seconds(10)) == .slot(wait: .zero))
  }
}
