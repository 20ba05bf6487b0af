import CCurl
import SystemSupport

/// One libcurl multi handle and the thread that drives it: every transfer of one
/// ``HTTPTransport`` runs here, and the multi handle's connection cache keeps connections alive
/// between them (HTTP/1.1 keep-alive, HTTP/2 multiplexing), at most `maxConnections` at once.
///
/// Callers hand over work through a locked inbox and `curl_multi_wakeup` (callable from any
/// thread); everything else — the handles, the callbacks, the completions — happens on the one
/// thread, which sleeps in `curl_multi_poll` while nothing is due.
final class CurlMulti: @unchecked Sendable {
  private enum Command {
    case start(CurlTransfer)
    case cancel(CurlTransfer)
    case stop
  }

  /// The multi handle (`CURLM *`): used by the thread, and by `wakeup` from any thread.
  private let multi: UnsafeMutableRawPointer
  private let inbox = Locked<[Command]>([])
  /// Transfers in the multi handle, by easy handle. The thread's own.
  private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

  /// Creates the multi handle and starts its thread. Call only after ``Libcurl/load(environment:)``
  /// succeeded.
  init(maxConnections: Int) throws(RadarError) {
    guard let multi = ccurl_multi_init() else { throw RadarError.unavailable(reason: "curl_multi_init failed") }
    self.multi = multi
    let limit = max(1, maxConnections)
    _ = ccurl_multi_setopt_long(multi, CURLMoption(CCURLMOPT_MAX_HOST_CONNECTIONS), limit)
    _ = ccurl_multi_setopt_long(multi, CURLMoption(CCURLMOPT_MAX_TOTAL_CONNECTIONS), limit)
    _ = ccurl_multi_setopt_long(multi, CURLMoption(CCURLMOPT_MAXCONNECTS), limit)
    startThread { [self] in run() }
  }

  /// Adds a configured transfer; it completes on this object's thread.
  func start(_ transfer: CurlTransfer) { send(.start(transfer)) }

  /// Ends a transfer at once with `CancellationError` (call ``CurlTransfer/markCancelled()`` first:
  /// the cancel may overtake the start). A transfer that already completed is left alone.
  func cancel(_ transfer: CurlTransfer) { send(.cancel(transfer)) }

  /// Ends the thread after cancelling what is still running, and frees the multi handle.
  func stop() { send(.stop) }

  private func send(_ command: Command) {
    inbox.withLock { $0.append(command) }
    _ = ccurl_multi_wakeup(multi)
  }

  private func run() {
    var running: Int32 = 0
    var remaining: Int32 = 0
    while true {
      for command in inbox.withLock({ commands in
        defer { commands = [] }
        return commands
      }) {
        switch command {
        case .start(let transfer):
          if transfer.isCancelled {
            transfer.complete(nil)
          } else if ccurl_multi_add_handle(multi, transfer.handle) == CCURLM_OK {
            active[transfer.handle] = transfer
          } else {
            transfer.complete(27)  // CURLE_OUT_OF_MEMORY, the one way adding a fresh handle fails
          }
        case .cancel(let transfer):
          guard active.removeValue(forKey: transfer.handle) != nil else { continue }
          _ = ccurl_multi_remove_handle(multi, transfer.handle)
          transfer.complete(nil)
        case .stop:
          for (handle, transfer) in active {
            _ = ccurl_multi_remove_handle(multi, handle)
            transfer.complete(nil)
          }
          active = [:]
          _ = ccurl_multi_cleanup(multi)
          return
        }
      }
      _ = ccurl_multi_perform(multi, &running)
      while let message = ccurl_multi_info_read(multi, &remaining) {
        guard message.pointee.msg == CCURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
        let code = message.pointee.data.result
        _ = ccurl_multi_remove_handle(multi, handle)
        active.removeValue(forKey: handle)?.complete(code)
      }
      // curl shortens the wait to its own next deadline (a timeout, a connect); a wakeup ends it.
      _ = ccurl_multi_poll(multi, 60_000)
    }
  }
}
