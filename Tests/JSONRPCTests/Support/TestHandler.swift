import Foundation
import JSON
import SystemSupport
import TestSupport

@testable import JSONRPC

/// A domain error that chooses its own response, as a server's errors do.
struct UpstreamSaidNo: ResponseErrorConvertible {
  let status: Int
  var responseError: ResponseError {
    ResponseError(ErrorCode(rawValue: -32001), "upstream said no", data: ["httpStatus": .number(JSONNumber(status))])
  }
}

/// A handler with methods that exercise the connection: echo, sleep, gates, failures.
final class TestHandler: RequestHandler {
  let shutdownCalls = Locked(0)
  let inputClosedCalls = Locked(0)
  let notifications = Locked<[String]>([])
  let started = Locked(0)
  /// Handlers that have returned or thrown.
  let finished = Locked(0)
  /// The context of the latest request (to read the connection's load).
  let lastContext = Locked<RequestContext?>(nil)
  /// True once `epilogue` has registered its cancellation notification.
  let epilogueRegistered = Locked(false)
  let spinReleased = Locked(false)
  private let gate = Locked<[CheckedContinuation<Void, Never>]>([])
  private let gateOpen = Locked(false)

  func handle(_ request: JSONRPCRequest, context: RequestContext) async throws -> JSONValue {
    started.withLock { $0 += 1 }
    lastContext.withLock { $0 = context }
    defer { finished.withLock { $0 += 1 } }
    switch request.method {
    case "echo":
      return request.params ?? .null
    case "sleep":
      let ms = request.params?["ms"]?.intValue ?? 100
      try await Task.sleep(for: .milliseconds(ms))
      return "slept"
    case "spin":
      // Blocks its thread and ignores cancellation on purpose, until released (or 5 s):
      // the connection must still answer -32800 at once.
      let until = Date() + 5
      while Date() < until, !spinReleased.withLock({ $0 }) { usleep(1000) }
      return "spun"
    case "gate":
      await waitForGate()
      return "opened"
    case "fail":
      throw UpstreamSaidNo(status: 400)
    case "fail-plainly":
      throw ResponseError(.invalidParams, "no params here")
    case "crash":
      struct Oops: Error {}
      throw Oops()
    case "notify":
      for i in 0..<3 { await context.notify("test/progress", ["i": .number(JSONNumber(i))]) }
      return "notified"
    case "after":
      context.afterResponse { context.notifyNow("test/after", nil) }
      return "answered"
    case "epilogue":
      context.onCancellation { Outgoing.notification(method: "test/epilogue", params: nil) }
      epilogueRegistered.withLock { $0 = true }
      try await Task.sleep(for: .seconds(30))
      return "slept"
    case "load":
      let load = context.load
      return ["running": .number(JSONNumber(load.running)), "queued": .number(JSONNumber(load.queued))]
    default:
      throw ResponseError.methodNotFound(request.method)
    }
  }

  func handle(_ notification: JSONRPCNotification, context: RequestContext) async {
    notifications.withLock { $0.append(notification.method) }
  }

  func shutdown() async { shutdownCalls.withLock { $0 += 1 } }
  func inputClosed() async { inputClosedCalls.withLock { $0 += 1 } }

  /// Waits until at least `n` requests have started (the pool may be busy with other tests).
  @discardableResult
  func waitUntilStarted(_ n: Int) async -> Bool {
    await waitUntil { started.withLock { $0 } >= n }
  }

  /// Waits until at least `n` handlers have returned or thrown.
  @discardableResult
  func waitUntilFinished(_ n: Int) async -> Bool {
    await waitUntil { finished.withLock { $0 } >= n }
  }

  func openGate() {
    gateOpen.withLock { $0 = true }
    let waiters = gate.withLock { w -> [CheckedContinuation<Void, Never>] in
      defer { w = [] }
      return w
    }
    for w in waiters { w.resume() }
  }

  private func waitForGate() async {
    await withCheckedContinuation { continuation in
      let open = gateOpen.withLock { open -> Bool in
        if !open { gate.withLock { $0.append(continuation) } }
        return open
      }
      if open { continuation.resume() }
    }
  }
}
