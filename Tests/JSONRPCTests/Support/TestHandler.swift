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
  /// True once `progress` has sent its work-done `begin`.
  let progressBegun = Locked(false)
  /// The value the latest `initialize` recorded.
  let initialized = Locked<JSONValue?>(nil)
  /// Requests the handler answered on the reader thread (``answerAtOnce(_:load:)``).
  let answeredAtOnce = Locked(0)
  private let gate = Latch()
  private let spin = Latch()
  /// `note` is this handler's notification (as `initialized` is the server's).
  let notificationMethods: Set<String> = ["note"]

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
      // Ignores cancellation on purpose until the test releases it (without holding a thread of
      // the shared pool, and without a time limit a loaded machine could outlast): the
      // connection must still answer -32800 at once, and drop the answer this returns.
      await spin.wait()
      return "spun"
    case "gate":
      await gate.wait()
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
      // Answers early, then sends a connection notification that must follow the answer.
      if await context.respond("answered") { await context.notifyOnConnection("test/after", nil) }
      return "ignored: answered already"
    case "progress":
      // LSP work-done progress (the request's workDoneToken), then a long wait: whoever answers
      // writes the `end` first.
      context.beginWorkDone(title: "testing")
      context.reportWorkDone("still testing")
      progressBegun.withLock { $0 = true }
      try await Task.sleep(for: .seconds(3600))
      return "slept"
    case "initialize":
      // Takes a while, then records its value: a request read after it must see the value.
      try await Task.sleep(for: .milliseconds(1))
      initialized.withLock { $0 = request.params?["value"] }
      return "initialized"
    case "initialized?":
      return initialized.withLock { $0 } ?? .null
    case "quick", "quick-fail":
      // What `answerAtOnce` did not take (a progress token, a duplicate id) comes here.
      return ["atOnce": false]
    case "load":
      let load = context.load
      return ["running": .number(JSONNumber(load.running)), "queued": .number(JSONNumber(load.queued))]
    default:
      throw ResponseError.methodNotFound(request.method)
    }
  }

  /// `quick` is answered at once with the load it is given; `quick-fail` with an error.
  func answerAtOnce(_ request: JSONRPCRequest, load: (running: Int, queued: Int)) -> Result<JSONValue, ResponseError>? {
    switch request.method {
    case "quick":
      answeredAtOnce.withLock { $0 += 1 }
      return .success([
        "atOnce": true, "running": .number(JSONNumber(load.running)), "queued": .number(JSONNumber(load.queued)),
      ])
    case "quick-fail":
      answeredAtOnce.withLock { $0 += 1 }
      return .failure(ResponseError(.invalidParams, "refused at once"))
    default:
      return nil
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

  func openGate() { gate.open() }

  func releaseSpin() { spin.open() }
}

/// Holds its waiters until it is opened, then lets every waiter (and every later one) through.
/// A waiting task ignores cancellation.
final class Latch: Sendable {
  private let state = Locked<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

  func open() {
    let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      s.open = true
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { continuation in
      let open = state.withLock { s -> Bool in
        if !s.open { s.waiters.append(continuation) }
        return s.open
      }
      if open { continuation.resume() }
    }
  }
}
