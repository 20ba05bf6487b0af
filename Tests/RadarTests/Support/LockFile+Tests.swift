import SystemSupport
import TestSupport
import Testing

extension LockFile {
  /// Takes the lock at `path` for a test, trying again until it is free (up to `defaultTimeout`);
  /// records an issue and returns `nil` if it never is.
  ///
  /// A lock the code under test has just released can still be held for a moment: a process
  /// another test spawns holds a copy of every descriptor between its `fork` and its `exec`
  /// (`O_CLOEXEC` closes them only at the `exec`), and `flock` locks belong to the open file, so
  /// the copy keeps it locked until then. Seen on a loaded machine (SharedRateBudgetTests).
  static func takeForTest(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async -> HeldLock? {
    var held: HeldLock?
    await waitUntil {
      if case .acquired(let lock) = tryLock(path) { held = lock }
      return held != nil
    }
    if held == nil { Issue.record("could not take the lock \(path)", sourceLocation: sourceLocation) }
    return held
  }

  /// Waits until the lock at `path` is free (taking and releasing it), for the same reason: a
  /// lock the test just released may still be held by a copy of its descriptor for a moment.
  static func waitUntilFree(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async {
    await takeForTest(path, sourceLocation: sourceLocation)?.release()
  }
}
