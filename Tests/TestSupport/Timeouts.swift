import Foundation

/// How long a test waits for something it expects before it gives up and fails, as
/// swift-tools-protocols' `Timeouts.swift` has it. It only bounds a failing test — a passing one
/// goes on as soon as what it waits for happens — so it is generous: CI runs the suites under
/// ThreadSanitizer on 2 busy cores. `RADAR_RPC_TEST_TIMEOUT` (seconds) overrides it.
public let defaultTimeout: Duration = {
  if let text = ProcessInfo.processInfo.environment["RADAR_RPC_TEST_TIMEOUT"], let seconds = Double(text),
    seconds.isFinite, seconds > 0
  {
    return .seconds(seconds)
  }
  return .seconds(60)
}()

/// Waits until `condition` holds, checking it every few milliseconds, or until `timeout` passes;
/// returns whether it held. The wait is for an event the test cannot be told about directly (a
/// counter in another process, a message on a pipe), never a guess at how long something takes.
@discardableResult
public func waitUntil(
  timeout: Duration = defaultTimeout, _ condition: () async throws -> Bool
) async rethrows -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try? await Task.sleep(for: .milliseconds(2))
  }
  return try await condition()
}

/// ``waitUntil(timeout:_:)`` for a plain thread, which may block.
@discardableResult
public func waitUntilBlocking(timeout: Duration = defaultTimeout, _ condition: () -> Bool) -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if condition() { return true }
    usleep(2000)
  }
  return condition()
}
