import SystemSupport
import Testing

@Suite struct LockedTests {
  @Test func concurrentIncrementsAreNotLost() async {
    let counter = Locked(0)
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask { for _ in 0..<10_000 { counter.withLock { $0 += 1 } } }
      }
    }
    #expect(counter.withLock { $0 } == 80_000)
  }

  @Test func withLockReturnsAndRethrows() {
    struct Refused: Error {}
    let names = Locked<[String]>([])
    let count = names.withLock { names in
      names.append("a")
      return names.count
    }
    #expect(count == 1)
    #expect(throws: Refused.self) { try names.withLock { _ in throw Refused() } }
    #expect(names.withLock { $0 } == ["a"])  // the lock was released after the throw
  }
}
