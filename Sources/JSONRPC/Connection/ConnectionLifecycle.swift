import Diagnostics
import JSON
import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a connection is in its life (contract §4), behind ``Connection/lifecycle``.
struct Lifecycle {
  enum Shutdown: Equatable {
    case notRequested
    /// `shutdown` was read; its requests in flight have their grace, its answer is not queued yet.
    case requested
    /// `shutdown`'s `null` is queued.
    case answered
  }

  var shutdown = Shutdown.notRequested
  /// `exit`, end of input or a signal: nothing more is read.
  var stopReading = false
  var finished: CheckedContinuation<Int32, Never>? = nil
  var exitCode: Int32? = nil
  /// The answer of the `shutdown` request while it waits for its grace (a signal answers it).
  var shutdownStream: RequestStream? = nil
  /// Notification handlers running now.
  var notificationTasks = 0
}

/// How each way of ending divides the work between prompt exit (editors) and every answer
/// (piped scripts), contract §4:
/// - `shutdown`: from then on every request is -32600; requests in flight get
///   `--shutdown-grace` to finish, the rest are answered -32802; subscriptions end; then
///   `shutdown` is answered `null`, after every answer to a request read before it;
/// - `exit`: after what was read before it (so after `shutdown`'s answer, and after the answers
///   of its own batch), requests still in flight are answered -32802, what is queued is written
///   and the process exits: 0 after `shutdown`, else 1;
/// - end of input: requests in flight get `--drain-timeout`, then the same;
/// - a signal: requests in flight are answered -32802 at once and the process exits 128 + signal
///   number within a second, writing whole frames only.
extension Connection {
  var stoppedReading: Bool { lifecycle.withLock { $0.stopReading } }

  // MARK: - shutdown

  func shutdown(_ request: JSONRPCRequest, destination: Destination) {
    let stream = RequestStream(request: request, destination: destination, output: output)
    let first = lifecycle.withLock { s -> Bool in
      guard s.shutdown == .notRequested else { return false }
      s.shutdown = .requested
      s.shutdownStream = stream
      return true
    }
    guard first else {
      destination.deliverBlocking(
        Outgoing.response(id: request.id, error: .invalidRequest("the server is shut down already")), to: output)
      return
    }
    // The grace counts from the moment `shutdown` is read, and is waited out on a thread of its
    // own: the reader goes on (a cancel, `exit`). Subscriptions end meanwhile.
    let grace = configuration.shutdownGrace
    let deadline = Deadline.after(grace)
    let stopped = Condition(false)
    Task { [handler] in
      await handler.shutdown()
      stopped.mutateAndBroadcast { $0 = true }
    }
    startThread { [self] in
      if !tracker.waitUntilAnswered(deadline: deadline) {
        answerWhatIsLeft(
          .serverCancelled("shutdown came and it did not finish within --shutdown-grace (\(grace))"))
      }
      _ = stopped.wait(until: { $0 }, deadline: .after(.seconds(1))) { _ in true }
      stream.respondBlocking(.success(.null))
      lifecycle.mutateAndBroadcast { s in
        s.shutdown = .answered
        s.shutdownStream = nil
      }
    }
  }

  /// Answers every request still in flight with `error` (its owed `end` first), then waits until
  /// each is answered: one whose own answer was decided just before (a batch member that
  /// completed its batch) is answered once its batch's array is queued, which waits for room in
  /// output as long as the client reads (up to ``exitFlushStall``), so the caller's flush or
  /// `shutdown`'s `null` comes after it.
  ///
  /// The answers do not wait for room in output (``RequestStream/respondNow(_:)``): at most one
  /// small frame per request in flight or queued (`--max-in-flight` + `--max-queued`), past the
  /// bound only at the end. Waiting there would hang `exit` for good behind requests that wait
  /// for room themselves, for a client that reads only once the process has ended.
  private func answerWhatIsLeft(_ error: ResponseError, close: Bool = false) {
    let left = tracker.takeUnanswered(close: close)
    guard !left.isEmpty else { return }
    Logger.shared.warn("\(left.count) request(s) still in flight answered \(error.code): \(error.message)")
    for work in left where work.stream.respondNow(.failure(error)) { tracker.cancelTask(of: work.stream) }
    _ = tracker.waitUntilAnswered(deadline: .after(Self.exitFlushStall))
  }

  /// Waits (up to the grace and a margin) until a `shutdown` read earlier is answered.
  private func waitForShutdownAnswer() {
    let deadline = Deadline.after(configuration.shutdownGrace + .seconds(1))
    _ = lifecycle.wait(until: { $0.shutdown != .requested }, deadline: deadline) { _ in true }
  }

  // MARK: - exit

  /// `exit` (a notification, or a request with an id: answered `null`). Runs on the reader,
  /// which reads nothing more. `destination` is the batch it came in, whose requests are
  /// answered first (within the grace).
  func exit(answering request: JSONRPCRequest?, in destination: Destination) {
    let code: Int32 = lifecycle.withLock { s in
      s.stopReading = true
      return s.shutdown == .notRequested ? 1 : 0
    }
    Logger.shared.info("exit: \(code == 0 ? "after shutdown" : "without shutdown")")
    output.wakeHeld()
    waitForShutdownAnswer()
    if case .batch(let collector) = destination {
      _ = collector.waitUntilWritten(deadline: .after(configuration.shutdownGrace))
    }
    answerWhatIsLeft(.serverCancelled("exit came"), close: true)
    if let request { destination.deliverBlocking(Outgoing.response(id: request.id, result: .null), to: output) }
    end(code)
  }

  // MARK: - End of input

  /// End of input: the requests in flight finish (up to `--drain-timeout`; the rest are answered
  /// -32802), every answer is written, then `run()` returns 0. Runs on the reader thread.
  func endOfInput() {
    lifecycle.withLock { $0.stopReading = true }
    Logger.shared.info("end of input: draining requests in flight")
    let closed = Condition(false)
    Task { [handler] in
      await handler.inputClosed()
      closed.mutateAndBroadcast { $0 = true }
    }
    let deadline = Deadline.after(configuration.drainTimeout)
    if !tracker.waitUntilAnswered(deadline: deadline) {
      answerWhatIsLeft(.serverCancelled("end of input came and it did not finish within --drain-timeout"))
    }
    waitForShutdownAnswer()
    // Subscriptions end within the same deadline: however slowly the shared pool gets to the
    // handler's hook, it has run before `run()` returns (unless the hook itself hangs).
    _ = closed.wait(until: { $0 }, deadline: deadline) { _ in true }
    end(0)
  }

  // MARK: - Signals

  /// A termination signal (SIGTERM, SIGINT, SIGHUP): every request in flight (`shutdown`
  /// included) is answered -32802 at once, what is queued is written for up to 0.8 s (whole
  /// frames only), and `run()` returns 128 + `signal`. Safe to call from any thread.
  public func terminate(signal: Int32) {
    lifecycle.withLock { $0.stopReading = true }
    Logger.shared.info("signal \(signal): answering requests in flight and exiting")
    let error = ResponseError.serverCancelled("the server received signal \(signal) and is exiting")
    for work in tracker.takeUnanswered(close: true) where work.stream.respondNow(.failure(error)) {
      tracker.cancelTask(of: work.stream)
    }
    lifecycle.withLock { $0.shutdownStream }?.respondNow(.failure(error))
    output.flush(timeout: .milliseconds(800))
    finish(128 + signal)
  }

  // MARK: - The end

  /// How long the last answers wait for a client that reads nothing at all before they are
  /// dropped. Long, because a slow client is not a stalled one: a loaded machine has left a
  /// reading client unscheduled for tens of seconds (a ThreadSanitizer run lost answers at 10 s).
  static let exitFlushStall: Duration = .seconds(60)

  /// Writes what is queued (for as long as the client reads it), then ends `run()` with `code`.
  /// Only a client that reads nothing for ``exitFlushStall`` loses the rest (a script that waits
  /// for the process to exit before reading would otherwise keep it alive for good).
  private func end(_ code: Int32) {
    if !output.flush(stall: Self.exitFlushStall) {
      Logger.shared.warn("standard output is not being read: unwritten answers dropped")
    }
    finish(code)
  }

  /// Ends `run()` with `code` (first caller wins). Nothing is written after it: a handler that
  /// still sends something finds the output closed.
  private func finish(_ code: Int32) {
    let continuation = lifecycle.withLock { s -> CheckedContinuation<Int32, Never>? in
      s.stopReading = true
      guard s.exitCode == nil else { return nil }
      s.exitCode = code
      defer { s.finished = nil }
      return s.finished
    }
    guard let continuation else { return }
    output.close()
    continuation.resume(returning: code)
  }
}
