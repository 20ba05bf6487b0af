import Diagnostics
import JSON
import Synchronization
import SystemSupport

/// The only writer of protocol output: one thread that owns the output file descriptor.
///
/// Frames are appended whole to a pending buffer and the writer thread writes everything
/// pending in one go, so frames never interleave and the writer never pauses inside a frame
/// waiting for anyone (pitfalls: re-entrant actor senders splicing frames; one `write` per
/// frame being slow). The buffer is bounded in bytes: past `maxBytes`, producers wait
/// (an async task suspends, the reader thread blocks) until the client has read some
/// output. A single frame larger than the bound is still accepted once the buffer drains,
/// so nothing can wedge on its own size.
final class OutputQueue: Sendable {
  private struct State {
    var framing: Framing?
    var pending: [UInt8] = []
    var writing = false
    var closed = false
    var waiters: [CheckedContinuation<Void, Never>] = []
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

  /// Queues one message; suspends while the buffer is over its bound.
  func enqueue(_ message: JSONValue) async {
    let body = JSONWriter.bytes(message)
    while true {
      let accepted: Bool = state.withLock { s in
        guard s.closed || s.pending.count < maxBytes else { return false }
        append(body, to: &s)
        return true
      }
      if accepted {
        state.broadcast()
        return
      }
      await withCheckedContinuation { continuation in
        let resumeNow = state.withLock { s -> Bool in
          if s.closed || s.pending.count < maxBytes { return true }
          s.waiters.append(continuation)
          return false
        }
        if resumeNow { continuation.resume() }
      }
    }
  }

  /// Queues one small message at once, even over the bound, without suspending. For progress
  /// notifications, which must keep their order relative to a state change made under a lock.
  func enqueueNow(_ message: JSONValue) {
    let body = JSONWriter.bytes(message)
    state.withLock { s in append(body, to: &s) }
    state.broadcast()
  }

  /// Queues one message from a plain thread (the reader); blocks while over the bound.
  func enqueueBlocking(_ message: JSONValue) {
    let body = JSONWriter.bytes(message)
    _ = state.wait(until: { $0.closed || $0.pending.count < maxBytes }) { s in append(body, to: &s) }
    state.broadcast()
  }

  private func append(_ body: [UInt8], to s: inout State) {
    guard !s.closed else { return }
    FrameEncoder.append(body: body, framing: s.framing ?? .lsp, to: &s.pending)
  }

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
        guard s.closed || s.pending.count < maxBytes else { return [] }
        defer { s.waiters = [] }
        return s.waiters
      }
      for waiter in waiters { waiter.resume() }
      if !ok {
        Logger.shared.warn("standard output is closed; dropping further output")
        return
      }
    }
  }
}
