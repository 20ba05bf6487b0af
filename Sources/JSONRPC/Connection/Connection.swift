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
///   `$/cancelRequest`, `window/workDoneProgress/cancel`, requests after `shutdown`, and what
///   the handler answers without waiting: ``RequestHandler/answerAtOnce(_:load:)``) and admits
///   the other requests into the ``RequestTracker``; when the tracker is full it blocks, which stops
///   reading (backpressure). It handles messages in the order read, and `initialize` as a
///   barrier: nothing read after `initialize` is handled before it (contract §4);
/// - every request runs in its own `Task` and writes through its ``RequestStream``, the one
///   ordered path of its notifications and its response (contract §8);
/// - a writer thread owns the output and writes whole frames only (``OutputQueue``).
///
/// The lifecycle — `shutdown` with its grace, `exit`, end of input, signals — is in
/// `ConnectionLifecycle.swift`. `run()` returns the process exit code.
public final class Connection: Sendable {
  public let configuration: ConnectionConfiguration
  let handler: any RequestHandler
  private let inputFD: Int32
  let output: OutputQueue
  let tracker: RequestTracker
  let lifecycle = Condition(Lifecycle())
  /// Methods that are notifications, the transport's cancellations and the handler's own: one
  /// sent with an id is done as the notification and answered `null` (before `shutdown`).
  private let notificationMethods: Set<String>

  public init(configuration: ConnectionConfiguration, handler: any RequestHandler, input: Int32, output: Int32) {
    self.configuration = configuration
    self.handler = handler
    self.inputFD = input
    self.output = OutputQueue(fd: output, maxBytes: configuration.maxOutputBytes, framing: configuration.framing.fixed)
    self.tracker = RequestTracker(maxInFlight: configuration.maxInFlight, maxQueued: configuration.maxQueued)
    self.notificationMethods = handler.notificationMethods.union(Self.cancellations)
  }

  /// The context of a notification: no request of its own.
  var connectionContext: RequestContext { RequestContext(stream: nil, output: output, tracker: tracker) }

  /// Serves until `exit`, end of input or ``terminate(signal:)``; returns the exit code.
  public func run() async -> Int32 {
    output.start()
    return await withCheckedContinuation { continuation in
      lifecycle.withLock { $0.finished = continuation }
      // A large stack: JSON nesting is bounded, but the parser recurses on this thread.
      startThread(stackSize: 4 << 20) { [self] in readLoop() }
    }
  }

  // MARK: - Reading

  private func readLoop() {
    var decoder = FrameDecoder(mode: configuration.framing, maxMessageBytes: configuration.maxMessageBytes)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { chunk.deallocate() }
    // A client that repeats a request repeats its params: those bytes are parsed once.
    var params = JSONParser.MemberMemo(member: "params")
    while !stoppedReading {
      let n = read(inputFD, chunk.baseAddress, chunk.count)
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      // The answers to what this read brought leave together, when it is handled (OutputQueue).
      output.holdWakeups()
      decoder.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<n])) { event, framing in
        output.setFraming(framing)
        handle(event, params: &params)
      }
      output.releaseHeld()
    }
    if stoppedReading { return }
    decoder.finish { event, _ in handle(event, params: &params) }
    if stoppedReading { return }
    endOfInput()
  }

  private func handle(_ event: FrameEvent, params: inout JSONParser.MemberMemo) {
    if stoppedReading { return }  // after `exit`: nothing more is read
    switch event {
    case .frame(let bytes):
      let parsed: JSONParser.MarkedValue
      do {
        parsed = try JSONParser.parseMarkingLoneSurrogates(
          bytes, maxDepth: configuration.maxDepth, memo: &params, isolatingArrayElements: true)
      } catch {
        Logger.shared.info("rejected a message: \(error)")
        let response: ResponseError =
          error.isSemantic ? .invalidRequest(error.description) : .parseError(error.description)
        // Contract §3: a readable id is answered with that id, whatever else is wrong.
        output.enqueueBlocking(Outgoing.response(id: ReadableID.scan(bytes), error: response))
        return
      }
      guard parsed.unusableElements.isEmpty else {
        // A batch element that repeats a key is -32600 alone, with its id when readable (JSON-RPC
        // 2.0 §6: a batch that is JSON is answered element by element).
        var unusable: [Int: Message] = [:]
        for element in parsed.unusableElements {
          Logger.shared.info("rejected batch element \(element.position): \(element.error)")
          let id = ReadableID.scan(UnsafeRawBufferPointer(rebasing: bytes[element.byteRange]))
          unusable[element.position] = .invalid(id: id, reason: element.error.description)
        }
        dispatch(parsed.value, loneSurrogates: parsed.loneSurrogates, unusable: unusable)
        return
      }
      dispatch(parsed.value, loneSurrogates: parsed.loneSurrogates, paramsBytes: parsed.memberBytes)
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
  /// parser read as not valid Unicode (see ``Message/init(_:loneSurrogates:)``); `unusable` gives
  /// the batch elements already known to be invalid, by position. An `exit` inside a batch takes
  /// effect once the batch's requests are answered.
  private func dispatch(
    _ value: JSONValue, loneSurrogates: [String] = [], paramsBytes: [UInt8]? = nil, unusable: [Int: Message]? = nil
  ) {
    guard case .array(let elements) = value else {
      let message = Message(value, loneSurrogates: loneSurrogates, paramsBytes: paramsBytes)
      if message.isExit {
        exit(answering: message.request, in: .single)
      } else {
        handleMessage(message, destination: .single)
      }
      return
    }
    guard !elements.isEmpty else {
      output.enqueueBlocking(Outgoing.response(id: nil, error: .invalidRequest("empty batch")))
      return
    }
    let messages = elements.enumerated().map { position, element in
      if let invalid = unusable?[position] { return invalid }
      let prefix = "/\(position)"
      let own = loneSurrogates.compactMap { pointer -> String? in
        guard pointer == prefix || pointer.hasPrefix(prefix + "/") else { return nil }
        return String(pointer.dropFirst(prefix.count))
      }
      return Message(element, loneSurrogates: own)
    }
    let answered = messages.count {
      switch $0 {
      case .request, .invalid: true
      case .notification, .response: false
      }
    }
    let collector = answered > 0 ? BatchCollector(expected: answered) : nil
    let destination: Destination = collector.map { .batch($0) } ?? .single
    var exitRead = false
    for message in messages {
      guard message.isExit else {
        handleMessage(message, destination: destination)
        continue
      }
      exitRead = true
      // An `exit` with an id is a member of the batch: answered `null` with the others.
      if let request = message.request {
        destination.deliverBlocking(Outgoing.response(id: request.id, result: .null), to: output)
      }
    }
    if exitRead { exit(answering: nil, in: destination) }
  }

  private func handleMessage(_ message: Message, destination: Destination) {
    switch message {
    case .invalid(let id, let reason):
      destination.deliverBlocking(Outgoing.response(id: id, error: .invalidRequest(reason)), to: output)
    case .response(let id):
      Logger.shared.debug("ignored a response from the client (id \(id)): this server sends no requests")
    case .notification(let notification):
      handleNotification(notification)
    case .request(let request) where lifecycle.withLock({ $0.shutdown != .notRequested }):
      // Contract §4: after `shutdown` every request is -32600 (a second `shutdown`, and a
      // notification sent with an id, too); only `exit` is accepted, and never reaches here.
      destination.deliverBlocking(
        Outgoing.response(
          id: request.id, error: .invalidRequest("the server is shut down; only \"exit\" is accepted")),
        to: output)
    case .request(let request) where notificationMethods.contains(request.method):
      // A notification sent with an id (a client's slip): done as the notification it is and
      // answered `null`, as `exit` with an id is — never "method not found" for a method the
      // server knows.
      handleNotification(JSONRPCNotification(method: request.method, params: request.params))
      destination.deliverBlocking(Outgoing.response(id: request.id, result: .null), to: output)
    case .request(let request):
      handleRequest(request, destination: destination)
    }
  }

  /// The notifications the transport itself acts on (the server never sees them).
  private static let cancellations: Set<String> = ["$/cancelRequest", "window/workDoneProgress/cancel"]

  private func handleNotification(_ notification: JSONRPCNotification) {
    switch notification.method {
    case "$/cancelRequest":
      guard let raw = notification.params?["id"], let id = RequestID(raw) else {
        Logger.shared.info("$/cancelRequest without a usable id ignored")
        return
      }
      guard let work = tracker.cancel(id) else {
        Logger.shared.debug("$/cancelRequest for \(id): not in flight")
        return
      }
      answer(work, .cancelled)
    case "window/workDoneProgress/cancel":
      // What an editor's progress UI sends when its user presses cancel (LSP 3.15+): the request
      // that owns the work-done token is cancelled as by `$/cancelRequest`.
      guard let token = RequestStream.progressToken(notification.params?["token"]) else {
        Logger.shared.info("window/workDoneProgress/cancel without a usable token ignored")
        return
      }
      for work in tracker.cancel(workDoneToken: token) { answer(work, .cancelled) }
    default:
      // At most --max-in-flight notification handlers at once: a flood of them waits here, which
      // stops reading, like a flood of requests.
      output.wakeHeld()
      _ = lifecycle.wait(until: { $0.notificationTasks < configuration.maxInFlight }) { $0.notificationTasks += 1 }
      let context = connectionContext
      Task { [self] in
        await handler.handle(notification, context: context)
        lifecycle.mutateAndBroadcast { $0.notificationTasks -= 1 }
      }
    }
  }

  private func handleRequest(_ request: JSONRPCRequest, destination: Destination) {
    if request.method == "shutdown" {
      shutdown(request, destination: destination)
      return
    }
    if request.method == "initialize" {
      runBeforeReadingOn(request, destination: destination)
      return
    }
    let known = answerAtOnce(request)
    if let known, destination.deliverIfRoom(Outgoing.response(id: request.id, known), to: output) { return }
    // Not answered at once, or answered while output is full (a client that is not reading):
    // admitted as every request is, a known answer included, so that it counts against the queue
    // and the reader stops only when that is full (contract §3 backpressure), never blocked on
    // output with nothing in flight, behind which a `$/cancelRequest` or `exit` would go unread.
    admit(request, destination: destination, known: known)
  }

  /// Admits `request` into the tracker (blocking while its queue is full); its task runs the
  /// handler, or answers `known` when the answer was given at once already.
  private func admit(_ request: JSONRPCRequest, destination: Destination, known: Result<JSONValue, ResponseError>?) {
    let stream = RequestStream(
      request: request, destination: destination, output: output,
      onDecided: { [tracker] stream in tracker.decided(stream) },
      onAnswered: { [self] stream in tracker.answered(stream, launch: launch) })
    output.wakeHeld()  // admission may wait for answers, which may wait for the writer
    let work = RequestTracker.Work(request: request, stream: stream, known: known)
    if case .duplicate = tracker.admit(work, launch: launch) {
      destination.deliverBlocking(
        Outgoing.response(
          id: request.id, error: .invalidRequest("id \(request.id) is already used by a request in flight")),
        to: output)
    }
  }

  /// The handler's answer given on this thread (``RequestHandler/answerAtOnce(_:load:)``), asked
  /// only for a request without LSP progress tokens (their begin/end and partial results go
  /// through a ``RequestStream``) whose id is not in flight (that one is answered -32600 by
  /// admission, contract §3). One look at the tracker tells both and reads the load.
  private func answerAtOnce(_ request: JSONRPCRequest) -> Result<JSONValue, ResponseError>? {
    guard !RequestStream.carriesProgressToken(request.params), let load = tracker.loadUnlessInFlight(request.id) else {
      return nil
    }
    return handler.answerAtOnce(request, load: load)
  }

  /// Answers a request in flight with `error` on the connection's behalf (its owed `end` first),
  /// then cancels its task so its work stops. Blocks while output is full.
  func answer(_ work: RequestTracker.Work, _ error: ResponseError) {
    if work.stream.respondBlocking(.failure(error)) { tracker.cancelTask(of: work.stream) }
  }

  // MARK: - Running requests

  /// Starts the task of one admitted request.
  private func launch(_ work: RequestTracker.Work) -> Task<Void, Never> {
    let context = RequestContext(stream: work.stream, output: output, tracker: tracker)
    return Task { [self] in
      let outcome: Result<JSONValue, ResponseError>
      if let known = work.known {
        outcome = known
      } else {
        outcome = await self.outcome(of: work.request, context: context)
      }
      await work.stream.respond(outcome)  // no-op when the connection answered it already
      tracker.taskEnded(work.stream)
    }
  }

  /// The handler's answer to `request`; errors mapped to the wire in this one place.
  func outcome(of request: JSONRPCRequest, context: RequestContext) async -> Result<JSONValue, ResponseError> {
    do {
      return .success(try await handler.handle(request, context: context))
    } catch is CancellationError {
      return .failure(.cancelled)
    } catch let error as any ResponseErrorConvertible {
      return .failure(error.responseError)
    } catch {
      Logger.shared.error("\(request.method) failed with an unexpected error: \(error)")
      return .failure(.internalError(String(describing: error)))
    }
  }

  /// Handles `request` (`initialize`) to the end, its response queued, before the reader reads
  /// on: everything read after it sees its effects (a token it brings, contract §4).
  private func runBeforeReadingOn(_ request: JSONRPCRequest, destination: Destination) {
    output.wakeHeld()
    let stream = RequestStream(request: request, destination: destination, output: output)
    let context = RequestContext(stream: stream, output: output, tracker: tracker)
    blockUntilDone { [self] in
      await stream.respond(await outcome(of: request, context: context))
    }
  }
}

extension Message {
  /// `exit`, as a notification or with an id (treated the same, contract §4).
  var isExit: Bool {
    switch self {
    case .notification(let n): n.method == "exit"
    case .request(let r): r.method == "exit"
    case .invalid, .response: false
    }
  }

  var request: JSONRPCRequest? {
    if case .request(let r) = self { return r }
    return nil
  }
}

/// Runs `body` on the shared pool and blocks the calling plain thread until it is done, or until
/// `timeout` has passed (then returns false and leaves it running).
@discardableResult
func blockUntilDone(timeout: Duration? = nil, _ body: @escaping @Sendable () async -> Void) -> Bool {
  let done = Condition(false)
  Task {
    await body()
    done.mutateAndBroadcast { $0 = true }
  }
  return done.wait(until: { $0 }, deadline: timeout.map { .after($0) }) { _ in true } ?? false
}
