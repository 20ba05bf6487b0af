import SystemSupport

/// One HTTP answer: status, headers with lower-cased names, and the whole body.
struct HTTPResponse: Sendable {
  let status: Int
  let headers: [String: String]
  let body: [UInt8]
}

/// GET requests through the system's libcurl (``Libcurl``, loaded on the first request), all on
/// one multi handle (``CurlMulti``), so connections to Cloudflare are kept alive and reused.
///
/// Redirects are never followed here: the 3xx answer is returned, so ``LiveBackend`` decides
/// where credentials may go. TLS peers are verified; a proxy comes from the environment as curl
/// reads it (`HTTPS_PROXY`, `https_proxy`, `NO_PROXY`). Task cancellation ends the transfer at once.
final class HTTPTransport: Sendable {
  private let maxConnections: Int
  private let environment: [String: String]
  /// The multi handle and its thread, made on the first request.
  private let multi = Locked<CurlMulti?>(nil)

  /// - Parameters:
  ///   - maxConnections: connections open at once, and kept for reuse (`--max-connections`).
  ///   - environment: where `RADAR_RPC_LIBCURL` may name the libcurl to load.
  init(maxConnections: Int, environment: [String: String]) {
    self.maxConnections = maxConnections
    self.environment = environment
  }

  deinit {
    multi.withLock { $0 }?.stop()
  }

  private func connect() throws(RadarError) -> CurlMulti {
    try multi.withLock { (multi) throws(RadarError) in
      if let multi { return multi }
      if case .failure(let error) = Libcurl.load(environment: environment) { throw error }
      let created = try CurlMulti(maxConnections: maxConnections)
      multi = created
      return created
    }
  }

  /// Sends one GET, bounded by about `timeout` as a whole; throws ``RadarError/unavailable(reason:)``
  /// for network failures (reasons from ``Libcurl/reason(for:)``; ``timedOut(after:)`` for the
  /// timeout), ``RadarError/answerTooLarge(estimatedBytes:limit:)`` for an answer larger than
  /// `maxBodyBytes`, and `CancellationError` when the calling task is cancelled.
  func get(_ url: String, headers: [(name: String, value: String)], timeout: Duration, maxBodyBytes: Int = .max)
    async throws -> HTTPResponse
  {
    let multi = try connect()
    // The caller (LiveBackend) bounds the attempt by `timeout` itself and cancels the transfer
    // then; curl's bound, a second later, is the backstop, and says the same when it is first.
    let transfer = try CurlTransfer(
      url: url, headers: headers, timeout: timeout + .seconds(1), timeoutReason: Self.timedOut(after: timeout),
      maxBodyBytes: maxBodyBytes)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        transfer.wait(with: continuation)
        multi.start(transfer)
      }
    } onCancel: {
      transfer.markCancelled()
      multi.cancel(transfer)
    }
  }

  /// Why an attempt bounded by `timeout` failed when it ran out: `timed out after 2.0 s`.
  static func timedOut(after timeout: Duration) -> String {
    "timed out after \(RadarProgress.format(timeout / .seconds(1)))"
  }
}
