import Diagnostics
import JSON
import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A JSON-RPC 2.0 connection over a pair of file descriptors (standard input and output).
///
/// Threads and tasks, and who owns what:
/// - a reader thread owns the input: it reads, deframes (``FrameDecoder``), parses and
///   validates messages, answers what it can at once (parse errors, invalid requests,
///   `$/cancelRequest`, `shutdown`, `exit`) and admits requests into the
///   ``RequestTracker``; when the tracker is full it blocks, which stops reading (backpressure);
/// - every request runs in its own `Task` and answers through the ``OutputQueue``;
/// - a writer thread owns the output and writes whole frames only.
///
/// `run()` returns the process exit code once the requests in flight have been answered
/// (those still running at the `--drain-timeout` deadline get -32802): after `exit` 0 if
/// `shutdown` came first, else 1; at end of input 0.
public final class Connection: Sendable {
  public let configuration: ConnectionConfiguration
  private let handler: any RequestHandler
  private let inputFD: Int32
  private let output: OutputQueue
  private let tracker: RequestTracker
  private let lifecycle = Condition(Lifecycle())
  /// `shutdown` answers not yet queued: they come from their own task, and a drain waits for them.
  private let shutdownAnswersPending = Condition(0)

  private struct Lifecycle {
    var shutdownRequested = false
    var stopReading = false
    var finished: CheckedContinuation<Int32, Never>? = nil
    var exitCode: Int32? = nil
  }

  public init(configuration: ConnectionConfiguration, handler: any RequestHandler, input: Int32, output: Int32) {
    self.configuration = configuration
    self.handler = handler
    self.inputFD = input
    self.output = OutputQueue(fd: output, maxBytes: configuration.maxOutputBytes, framing: configuration.framing.fixed)
    self.tracker = RequestTracker(maxInFlight: configuration.maxInFlight, maxQueued: configuration.maxQueued)
  }

  private var context: RequestContext { RequestContext(output: output, tracker: tracker, token: nil) }

  /// Serves until `exit` or end of input; returns the exit code.
  public func run() async -> Int32 {
    output.start()
    return await withCheckedContinuation { continuation in
      lifecycle.withLock { $0.finished = continuation }
      // A large stack: JSON nesting is bounded, but the parser recurses on this thread.
      startThread(stackSize: 4 << 20) { [self] in readLoop() }
    }
  }

  /// Ends `run()` with `code` (first caller wins).
  private func finish(_ code: Int32) {
    let continuation = lifecycle.withLock { s -> CheckedContinuation<Int32, Never>? in
      s.stopReading = true
      guard s.exitCode == nil else { return nil }
      s.exitCode = code
      defer { s.finished = nil }
      return s.finished
    }
    continuation?.resume(returning: code)
  }

  // MARK: - Reading

  private func readLoop() {
    var decoder = FrameDecoder(mode: configuration.framing, maxMessageBytes: configuration.maxMessageBytes)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { chunk.deallocate() }
    while !lifecycle.withLock({ $0.stopReading }) {
      let n = read(inputFD, chunk.baseAddress, chunk.count)
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      decoder.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<n])) { event, framing in
        output.setFraming(framing)
        handle(event)
      }
    }
    if lifecycle.withLock({ $0.stopReading }) { return }
    decoder.finish { event, _ in handle(event) }
    endOfInput()
  }

  private func handle(_ event: FrameEvent) {
    if lifecycle.withLock({ $0.stopReading }) { return }
    switch event {
    case .frame(let bytes):
      let parsed: JSONParser.MarkedValue
      do {
        parsed = try JSONParser.parseMarkingLoneSurrogates(bytes, maxDepth: configuration.maxDepth)
      } catch {
        Logger.shared.info("rejected a message: \(error)")
        let response: ResponseError =
          error.isSemantic ? .invalidRequest(error.description) : .parseError(error.description)
        output.enqueueBlocking(Outgoing.response(id: nil, error: response))
        return
      }
      dispatch(parsed.value, loneSurrogates: parsed.loneSurrogates)
    case .oversized(let declared):
      let size = declared.map { "\($0) bytes" } ?? "a message"
      Logger.shared.warn("skipped \(size) over --max-message-bytes \(configuration.maxMessageBytes)")
      output.enqueueBlocking(
        Outgoing.response(
          id: nil,
          error: .invalidRequest(
            "message too large (\(size); the limit is \(configuration.maxMessageBytes) bytes, --max-message-bytes)")))
    case .malformed(let reason):
      Logger.shared.warn("malformed frame: \(reason); skipped to the next frame")
      output.enqueueBlocking(Outgoing.response(id: nil, error: .parseError("malformed frame: \(reason)")))
    }
  }

  /// Routes one parsed JSON value: a message or a batch. `loneSurrogates` points at strings the
  /// parser read as not valid Unicode (see ``Message/init(_:loneSurrogates:)``).
  private func dispatch(_ value: JSONValue, loneSurrogates: [String] = []) {
    guard case .array(let elements) = value else {
      handleMessage(Message(value, loneSurrogates: loneSurrogates), destination: .single)
      return
    }
    guard !elements.isEmpty else {
      output.enqueueBlocking(Outgoing.response(id: nil, error: .invalidRequest("empty batch")))
      return
    }
    let messages = elements.enumerated().map { position, element in
      let prefix = "/\(position)"
      let own = loneSurrogates.compactMap { pointer -> String? in
        guard pointer == prefix || pointer.hasPrefix(prefix + "/") else { return nil }
        return String(pointer.dropFirst(prefix.count))
      }
      return Message(element, loneSurrogates: own)
    }
    let answered = messages.filter {
      switch $0 {
      case .request, .invalid: true
      case .notification, .response: false
      }
    }.count
    let destination: Destination = answered > 0 ? .batch(BatchCollector(expected: answered)) : .single
    for message in messages { handleMessage(message, destination: destination) }
  }

  private func handleMessage(_ message: Message, destination: Destination) {
    switch message {
    case .invalid(let id, let reason):
      deliverBlocking(Outgoing.response(id: id, error: .invalidRequest(reason)), to: destination)
    case .response(let id):
      Logger.shared.debug("ignored a response from the client (id \(id)): this server sends no requests")
    case .notification(let notification):
      handleNotification(notification)
    case .request(let request):
      handleRequest(request, destination: destination)
    }
  }

  private func handleNotification(_ notification: JSONRPCNotification) {
    switch notification.method {
    case "$/cancelRequest":
      guard let raw = notification.params?["id"], let id = RequestID(raw) else {
        Logger.shared.info("$/cancelRequest without a usable id ignored")
        return
      }
      cancel(id)
    case "exit":
      // Acts at once: nothing after it is read. What is already running is still answered (a
      // script pipes its whole session, `exit` included, before any answer comes back).
      let code: Int32 = lifecycle.withLock { s in
        s.stopReading = true
        return s.shutdownRequested ? 0 : 1
      }
      drainAndFinish(code, after: "exit")
    default:
      let context = self.context
      Task { await handler.handle(notification, context: context) }
    }
  }

  private func handleRequest(_ request: JSONRPCRequest, destination: Destination) {
    if request.method == "shutdown" {
      let alreadyShutDown = lifecycle.withLock { s -> Bool in
        defer { s.shutdownRequested = true }
        return s.shutdownRequested
      }
      // Acts at once: not admitted behind the queue. Counted, so a drain waits for its answer.
      shutdownAnswersPending.mutateAndBroadcast { $0 += 1 }
      Task {
        if !alreadyShutDown { await handler.shutdown() }
        await deliver(Outgoing.response(id: request.id, result: .null), to: destination)
        shutdownAnswersPending.mutateAndBroadcast { $0 -= 1 }
      }
      return
    }
    if lifecycle.withLock({ $0.shutdownRequested }) {
      deliverBlocking(
        Outgoing.response(id: request.id, error: .invalidRequest("the server is shut down; only \"exit\" is accepted")),
        to: destination)
      return
    }
    let admission = tracker.admit(request, destination: destination, launch: launch)
    if case .duplicate = admission {
      deliverBlocking(
        Outgoing.response(
          id: request.id, error: .invalidRequest("id \(request.id) is already used by a request in flight")),
        to: destination)
    }
  }

  private func cancel(_ id: RequestID) {
    switch tracker.cancel(id) {
    case .notFound:
      Logger.shared.debug("$/cancelRequest for \(id): not in flight")
    case .dequeued(let work):
      deliverBlocking(Outgoing.response(id: work.request.id, error: .cancelled), to: work.destination)
    case .claimed(let work, let epilogue):
      if let notification = epilogue?() { output.enqueueBlocking(notification) }
      deliverBlocking(Outgoing.response(id: work.request.id, error: .cancelled), to: work.destination)
      tracker.finish(work.token, launch: launch)
    }
  }

  // MARK: - Running requests

  /// Starts the task of one admitted request.
  private func launch(_ work: RequestTracker.Work) -> Task<Void, Never> {
    let context = RequestContext(output: output, tracker: tracker, token: work.token)
    return Task { [self] in
      let outcome: Result<JSONValue, ResponseError>
      do {
        outcome = .success(try await handler.handle(work.request, context: context))
      } catch is CancellationError {
        outcome = .failure(.cancelled)
      } catch let error as any ResponseErrorConvertible {
        outcome = .failure(error.responseError)
      } catch {
        Logger.shared.error("\(work.request.method) failed with an unexpected error: \(error)")
        outcome = .failure(.internalError(String(describing: error)))
      }
      guard tracker.claim(work.token) else { return }  // a cancel answered it already
      let actions = tracker.takeAfterResponse(work.token)
      await deliver(Outgoing.response(id: work.request.id, outcome), to: work.destination, then: actions)
      tracker.finish(work.token, launch: launch)
    }
  }

  private func deliver(
    _ response: JSONValue, to destination: Destination, then actions: [@Sendable () -> Void] = []
  ) async {
    switch destination {
    case .single:
      await output.enqueue(response)
      for action in actions { action() }
    case .batch(let collector):
      if let all = collector.add(response, then: actions) {
        await output.enqueue(.array(all.responses))
        for action in all.actions { action() }
      }
    }
  }

  private func deliverBlocking(_ response: JSONValue, to destination: Destination) {
    switch destination {
    case .single:
      output.enqueueBlocking(response)
    case .batch(let collector):
      if let all = collector.add(response) {
        output.enqueueBlocking(.array(all.responses))
        for action in all.actions { action() }
      }
    }
  }

  // MARK: - End of input

  private func endOfInput() { drainAndFinish(0, after: "end of input") }

  /// Ends the connection after `exit` or end of input: the requests in flight finish (up to
  /// `--drain-timeout`; the rest are answered -32802), every answer is written, then `run()`
  /// returns `code`. Runs on the reader thread, which reads nothing more.
  private func drainAndFinish(_ code: Int32, after event: String) {
    Logger.shared.info("\(event): draining requests in flight")
    let closed = Condition(false)
    Task {
      await handler.inputClosed()
      closed.mutateAndBroadcast { $0 = true }
    }
    if !tracker.waitUntilIdle(deadline: .after(configuration.drainTimeout)) {
      let abandoned = tracker.claimAll()
      Logger.shared.warn("drain timeout: \(abandoned.count) request(s) still running are answered -32802")
      for (work, epilogue) in abandoned {
        if let notification = epilogue?() { output.enqueueBlocking(notification) }
        deliverBlocking(
          Outgoing.response(
            id: work.request.id,
            error: .serverCancelled("\(event) came and it did not finish within --drain-timeout")),
          to: work.destination)
        tracker.finish(work.token, launch: { _ in Task {} })
      }
    }
    _ = closed.wait(until: { $0 }, deadline: .after(.seconds(2))) { _ in true }
    _ = shutdownAnswersPending.wait(until: { $0 == 0 }, deadline: .after(.seconds(2))) { _ in true }
    if !output.flush(stall: .seconds(10)) {
      Logger.shared.warn("standard output is not being read: unwritten answers dropped")
    }
    finish(code)
  }
}
