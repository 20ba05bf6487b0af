import Diagnostics
import JSON
import Synchronization
import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The only writer of protocol output: one thread that owns the output file descriptor.
///
/// Frames are appended whole to a pending buffer and the writer thread writes everything
/// pending in one go, so frames never interleave and the writer never pauses inside a frame
/// waiting for anyone (pitfalls: re-entrant actor senders splicing frames; one `write` per
/// frame being slow). Several ready frames leave in one `write`.
///
/// The buffer is bounded in bytes, whatever kind of message fills it (contract §7): a producer
/// first *reserves* room for its frame — an async task suspends, a plain thread blocks, while
/// the pending and reserved bytes reach `maxBytes` — and then commits or releases it. A
/// reservation never waits while its owner holds a lock, so a ``RequestStream`` can commit under
/// its own lock, in order, without blocking. A single frame larger than the bound is still
/// accepted once the buffer is empty, so nothing can wedge on its own size. Small frames whose
/// order matters more than their few bytes (`$/progress` begin/report/end) are appended at once
/// (``appendNow(_:)``); at most one such frame per request sits beyond the bound.
///
/// The reader thread saves the writer thread's wake-up where it can (issue 17): while it handles
/// what one `read` brought (``holdWakeups()``), frames appended — its own answers at once, and
/// any task's — do not wake the writer (up to ``holdLimit`` bytes); when it is done
/// (``releaseHeld()``) it writes them itself, in one `write`, if the writer thread is idle and the
/// output is a pipe with room for them all (so that `write` cannot block the reader), and else
/// wakes the writer. Whoever writes takes everything pending under the lock and marks the queue
/// `writing`, so frames stay whole and in order, and only one `write` is under way at a time.
/// The reader releases what it holds before anything that may wait (``reserveBlocking(_:)``
/// here; the connection before admitting a request, running `initialize`, and the like), and a
/// task that must wait for room releases it too, so nothing waits on a writer held asleep.
final class OutputQueue: Sendable {
  private struct State {
    var framing: Framing?
    var pending: [UInt8] = []
    /// Bytes promised to producers that have not committed yet.
    var reserved = 0
    var writing = false
    var closed = false
    /// The reader is handling a chunk of input: appends do not wake the writer (below ``holdLimit``).
    var held = false
    var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether a reservation may be taken now.
    func hasRoom(_ maxBytes: Int) -> Bool {
      closed || pending.count + reserved < maxBytes || (pending.isEmpty && reserved == 0)
    }
  }

  private let fd: Int32
  /// Bytes accepted by `write(2)` so far, updated per syscall: how `flush(stall:)` tells a slow
  /// reader (progress within a large chunk) from one that stopped reading.
  private let syscallBytes = Atomic<Int>(0)
  private let maxBytes: Int
  private let state: Condition<State>
  /// The capacity of the pipe `fd` is, or `nil` when it is not a pipe (or not on Linux): then the
  /// reader never writes itself, since it cannot tell whether a `write` would block.
  private let pipeCapacity: Int?

  /// Held frames beyond this many pending bytes wake the writer at once, so a read's worth of
  /// answers leaves in a few writes rather than one: the client starts reading (and sends its
  /// next requests) while the rest are made. Measured (issue 17, `bench/suite.py`, 64 requests in
  /// flight, 515-byte `server.stats` answers): 8 KB 156,427 req/s with the Python driver saturated
  /// (CPU 1.00), 32 KB 127,531 (the whole read in one write; driver idle a quarter of the time),
  /// 16 KB 132,537, 4 KB 152,641, no hold 151,640; server CPU 2.2, 1.8, 2.0, 2.8, 4.0 µs/request.
  static let holdLimit = 8 * 1024

  init(fd: Int32, maxBytes: Int, framing: Framing?) {
    self.fd = fd
    self.maxBytes = maxBytes
    self.state = Condition(State(framing: framing))
    self.pipeCapacity = Self.pipeCapacity(of: fd)
  }

  private static func pipeCapacity(of fd: Int32) -> Int? {
    #if os(Linux)
      var info = stat()
      guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFIFO else { return nil }
      let size = fcntl(fd, 1032)  // F_GETPIPE_SZ (Glibc does not export the name)
      return size > 0 ? Int(size) : nil
    #else
      return nil
    #endif
  }

  /// Sets the framing once `auto` has decided it (before any frame is enqueued).
  func setFraming(_ framing: Framing) {
    state.withLock { if $0.framing == nil { $0.framing = framing } }
  }

  var framing: Framing? { state.withLock { $0.framing } }

  /// Starts the writer thread.
  func start() {
    startThread { [self] in writeLoop() }
  }

  /// What a frame holding `body` costs a reservation (the body and the largest header).
  static func frameCost(_ body: [UInt8]) -> Int { body.count + 40 }

  // MARK: - Reserving and committing

  /// Reserves room for `bytes`, suspending while the buffer is full.
  func reserve(_ bytes: Int) async {
    while true {
      let taken = state.withLock { s -> Bool in
        guard s.hasRoom(maxBytes) else { return false }
        s.reserved += bytes
        return true
      }
      if taken { return }
      await withCheckedContinuation { continuation in
        let resumeNow = state.withLock { s -> Bool in
          if s.hasRoom(maxBytes) { return true }
          s.waiters.append(continuation)
          return false
        }
        if resumeNow { continuation.resume() } else { wakeHeld() }
      }
    }
  }

  /// Reserves room for `bytes` from a plain thread (the reader), blocking while the buffer is full
  /// (having woken the writer for what is held first).
  func reserveBlocking(_ bytes: Int) {
    let taken = state.withLock { s -> Bool in
      guard s.hasRoom(maxBytes) else { return false }
      s.reserved += bytes
      return true
    }
    if taken { return }
    wakeHeld()
    _ = state.wait(until: { $0.hasRoom(maxBytes) }) { s in s.reserved += bytes }
  }

  /// Appends a frame holding `body` in place of a reservation of `reserved` bytes. Never waits.
  func commit(_ body: [UInt8], reserved: Int) {
    let waiters = state.mutate { s -> ([CheckedContinuation<Void, Never>], broadcast: Bool) in
      s.reserved -= reserved
      append(body, to: &s)
      return (takeWaitersIfRoom(&s), wakesWriter(s))
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Whether an append must wake the writer now: unless the reader holds wake-ups and what is
  /// pending is below ``holdLimit``.
  private func wakesWriter(_ s: State) -> Bool { !s.held || s.pending.count >= Self.holdLimit }

  /// Gives back a reservation that will not be used.
  func release(_ reserved: Int) {
    let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
      s.reserved -= reserved
      return takeWaitersIfRoom(&s)
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Appends one small frame at once, without waiting for room (see the type's description).
  func appendNow(_ message: JSONValue) {
    let body = JSONWriter.bytes(message)
    state.mutate { s in
      append(body, to: &s)
      return ((), broadcast: wakesWriter(s))
    }
  }

  // MARK: - The reader's hold

  /// The reader starts handling a chunk of input: appends stop waking the writer until
  /// ``releaseHeld()`` (or ``wakeHeld()``).
  func holdWakeups() {
    state.withLock { $0.held = true }
  }

  /// Ends the hold and wakes the writer for what it held back (before anything that may wait).
  func wakeHeld() {
    state.mutate { s in
      let wasHeld = s.held
      s.held = false
      return ((), broadcast: wasHeld)
    }
  }

  /// Ends the hold: what is pending is written by the calling thread (the reader) in one `write`
  /// when the writer thread is idle and the pipe has room for all of it, so the `write` does not
  /// block; else the writer is woken for it.
  func releaseHeld() {
    let chunk = state.mutate { s -> ([UInt8]?, broadcast: Bool) in
      let wasHeld = s.held
      s.held = false
      guard !s.pending.isEmpty, !s.writing, !s.closed, pipeTakes(s.pending.count) else {
        return (nil, broadcast: wasHeld)
      }
      s.writing = true
      var chunk: [UInt8] = []
      swap(&chunk, &s.pending)
      return (chunk, broadcast: false)
    }
    if let chunk { write(chunk) }
  }

  /// Whether `count` more bytes fit in the output pipe without a `write` blocking: the pipe's
  /// unread bytes and ours, with a page of slack for each end's partly filled page and one more
  /// for rounding (the kernel keeps a pipe as a ring of pages).
  private func pipeTakes(_ count: Int) -> Bool {
    #if os(Linux)
      guard let pipeCapacity else { return false }
      var unread: Int32 = 0
      guard ioctl(fd, UInt(FIONREAD), &unread) == 0 else { return false }
      return Int(unread) + count + 3 * 4096 <= pipeCapacity
    #else
      return false
    #endif
  }

  // MARK: - Whole messages

  /// Queues one message; suspends while the buffer is full.
  func enqueue(_ message: JSONValue) async {
    let body = JSONWriter.bytes(message)
    let cost = Self.frameCost(body)
    await reserve(cost)
    commit(body, reserved: cost)
  }

  /// Queues one message only if the buffer has room now (as ``reserve(_:)`` would take it at
  /// once); returns whether it was queued. Never waits.
  func enqueueIfRoom(_ message: JSONValue) -> Bool {
    let body = JSONWriter.bytes(message)
    let queued = state.mutate { s -> (Bool, broadcast: Bool) in
      guard s.hasRoom(maxBytes) else { return (false, broadcast: false) }
      append(body, to: &s)
      return (true, broadcast: wakesWriter(s))
    }
    return queued
  }

  /// Queues one message from a plain thread (the reader); blocks while the buffer is full.
  func enqueueBlocking(_ message: JSONValue) {
    let body = JSONWriter.bytes(message)
    let cost = Self.frameCost(body)
    reserveBlocking(cost)
    commit(body, reserved: cost)
  }

  private func append(_ body: [UInt8], to s: inout State) {
    guard !s.closed else { return }
    FrameEncoder.append(body: body, framing: s.framing ?? .lsp, to: &s.pending)
  }

  private func takeWaitersIfRoom(_ s: inout State) -> [CheckedContinuation<Void, Never>] {
    guard s.hasRoom(maxBytes), !s.waiters.isEmpty else { return [] }
    defer { s.waiters = [] }
    return s.waiters
  }

  // MARK: - Flushing and closing

  /// Waits until everything queued so far is written (or `timeout` passes).
  @discardableResult
  func flush(timeout: Duration) -> Bool {
    wakeHeld()
    return state.wait(until: { ($0.pending.isEmpty && !$0.writing) || $0.closed }, deadline: .after(timeout)) { _ in
      true
    }
      ?? false
  }

  /// Waits until everything queued is written, for as long as the reader keeps reading: gives
  /// up only when no byte could be written for `stall` (a reader that stopped reading).
  /// The last answers before exit are never cut off because the reader is merely slow.
  @discardableResult
  func flush(stall: Duration) -> Bool {
    while true {
      let before = syscallBytes.load(ordering: .relaxed)
      if flush(timeout: stall) { return true }
      if syscallBytes.load(ordering: .relaxed) == before { return false }
    }
  }

  /// Stops accepting output (already queued bytes are dropped) and releases every waiter.
  func close() {
    let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
      s.closed = true
      s.pending = []
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Bytes written to the descriptor so far (a test compares them with what it has read).
  var bytesWritten: Int { syscallBytes.load(ordering: .relaxed) }

  /// Bytes queued and not yet written, and bytes reserved (for tests of the bound).
  var buffered: (pending: Int, reserved: Int) { state.withLock { ($0.pending.count, $0.reserved) } }

  private func writeLoop() {
    while true {
      guard
        let chunk = state.wait(
          until: { (!$0.pending.isEmpty && !$0.writing) || $0.closed },
          { s -> [UInt8]? in
            if s.closed { return nil }
            s.writing = true
            var chunk: [UInt8] = []
            swap(&chunk, &s.pending)
            return chunk
          }) ?? nil
      else { return }
      if !write(chunk) { return }
    }
  }

  /// Writes `chunk` (taken from `pending` with `writing` set), then clears `writing` and wakes
  /// whoever waits: the writer for what came meanwhile, producers for room, flushes. False when
  /// the output is closed.
  @discardableResult
  private func write(_ chunk: [UInt8]) -> Bool {
    let ok = writeAll(chunk, to: fd) { syscallBytes.add($0, ordering: .relaxed) }
    let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
      s.writing = false
      if !ok { s.closed = true }
      return takeWaitersIfRoom(&s)
    }
    for waiter in waiters { waiter.resume() }
    if !ok { Logger.shared.warn("standard output is closed; dropping further output") }
    return ok
  }
}
