import SystemSupport
import Testing

@Suite struct ConditionTests {
  /// A waiter on a plain thread wakes when another thread changes the state and broadcasts.
  @Test func aWaiterWakesOnTheChangeItWaitsFor() {
    let ready = Condition(0)
    startThread { ready.mutateAndBroadcast { $0 = 42 } }
    let seen = ready.wait(until: { $0 != 0 }) { $0 }
    #expect(seen == 42)
  }

  @Test func aDeadlineThatPassesEndsTheWaitWithNil() {
    let never = Condition(false)
    #expect(never.wait(until: { $0 }, deadline: .after(.milliseconds(10))) { _ in true } == nil)
    // A predicate that already holds is not a wait at all, even past the deadline.
    #expect(never.wait(until: { !$0 }, deadline: .after(.zero)) { _ in true } == true)
  }

  @Test func deadlinesOrderAndSaturate() {
    let soon = Deadline.after(.seconds(1))
    let late = Deadline.after(.seconds(3600))
    #expect(soon < late)
    #expect(!late.hasPassed)
    #expect(Deadline.after(.seconds(-5)).hasPassed)
    #expect(!Deadline.after(.seconds(Int64.max)).hasPassed)  // no overflow into the past
  }
}
