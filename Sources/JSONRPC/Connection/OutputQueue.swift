import Diagnostics
import JSON
import Synchronization
import SystemSupport

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
final class OutputQueue: Sendable {
  private struct State {
    var framing: Framing?
    var pending: [UInt8] = []
    /// Bytes promised to producers that have not committed yet.
    var reserved = 0
    var writing = false
    var closed = false
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

  init(fd: Int32, maxBytes: Int, framing: Framing?) {
    self.fd = fd
    self.maxBytes = maxBytes
    self.state = Condition(State(framing: framing))
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
        if resumeNow { continuation.resume() }
      }
    }
  }

  /// Reserves room for `bytes` from a plain thread (the reader), blocking while the buffer is full.
  func reserveBlocking(_ bytes: Int) {
    _ = state.wait(until: { $0.hasRoom(maxBytes) }) { s in s.reserved += bytes }
  }

  /// Appends a frame holding `body` in place of a reservation of `reserved` bytes. Never waits.
  func commit(_ body: [UInt8], reserved: Int) {
    let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
      s.reserved -= reserved
      append(body, to: &s)
      return takeWaitersIfRoom(&s)
    }
    for waiter in waiters { waiter.resume() }
  }

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
    state.mutateAndBroadcast { s in append(body, to: &s) }
  }

  // MARK: - Whole messages

  /// Queues one message; suspends while the buffer is full.
  func enqueue(_ message: JSONValue) async {
    let body = JSONWriter.bytes(message)
    let cost = Self.frameCost(body)
    await reserve(cost)
    commit(body, reserved: cost)
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
    state.wait(until: { ($0.pending.isEmpty && !$0.writing) || $0.closed }, deadline: .after(timeout)) { _ in true }
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
          until: { !$0.pending.isEmpty || $0.closed },
          { s -> [UInt8]? in
            if s.closed { return nil }
            s.writing = true
            var chunk: [UInt8] = []
            swap(&chunk, &s.pending)
            return chunk
          }) ?? nil
      else { return }
      let ok = writeAll(chunk, to: fd) { syscallBytes.add($0, ordering: .relaxed) }
      let waiters = state.mutateAndBroadcast { s -> [CheckedContinuation<Void, Never>] in
        s.writing = false
        if !ok { s.closed = true }
        return takeWaitersIfRoom(&s)
      }
      for waiter in waiters { waiter.resume() }
      if !ok {
        Logger.shared.warn("standard output is closed; dropping further output")
        return
      }
    }
  }
}
