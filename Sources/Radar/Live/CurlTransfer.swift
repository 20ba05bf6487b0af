import CCurl
import SystemSupport

/// One GET on its own libcurl easy handle: the request's options, the answer as it arrives, and
/// the caller waiting for it.
///
/// Made and configured on the caller's thread; from ``CurlMulti/start(_:)`` until it completes,
/// only the multi handle's thread touches it (the callbacks, ``complete(_:)``), and the caller
/// only through the lock of ``markCancelled()``. So it is `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
  /// The easy handle (`CURL *`).
  let handle: UnsafeMutableRawPointer
  private var requestHeaders: UnsafeMutablePointer<curl_slist>? = nil
  private var responseHeaders: [String: String] = [:]
  private var body: [UInt8] = []
  private var continuation: CheckedContinuation<HTTPResponse, any Error>? = nil
  private let cancelled = Locked(false)
  /// The most body bytes taken (decoded); past it the transfer is aborted.
  private let maxBodyBytes: Int
  /// Set when the answer is known to be larger than ``maxBodyBytes``: its `Content-Length`, or
  /// the bytes received when the limit was crossed.
  private var oversized: Int? = nil
  /// What curl's own timeout (`CURLE_OPERATION_TIMEDOUT`) is reported as.
  private let timeoutReason: String
  /// The most header bytes one answer may carry (every header block of it together): far above
  /// what Cloudflare sends, and a bound whatever the loaded libcurl's own is (contract §7).
  static let maxHeaderBytes = 256 << 10
  /// Header bytes received so far.
  private var headerBytes = 0
  /// Set when the headers passed ``maxHeaderBytes``.
  private var headersTooLarge = false

  /// - Parameters:
  ///   - url: an absolute `http` or `https` URL.
  ///   - headers: sent as given (curl adds `Host` and `Accept-Encoding`).
  ///   - timeout: the whole transfer's bound (`CURLOPT_TIMEOUT_MS`), connecting included.
  ///   - timeoutReason: the reason a transfer that ran into `timeout` fails with.
  ///   - maxBodyBytes: the largest body taken, after decoding; an answer whose `Content-Length`
  ///     or body goes past it fails with ``RadarError/answerTooLarge(estimatedBytes:limit:)``
  ///     at once, without reading the rest (contract §7: the work one request causes is bounded).
  /// - Throws: ``RadarError/unavailable(reason:)`` when libcurl refuses an option.
  init(
    url: String, headers: [(name: String, value: String)], timeout: Duration, timeoutReason: String,
    maxBodyBytes: Int
  ) throws(RadarError) {
    guard let handle = ccurl_easy_init() else { throw RadarError.unavailable(reason: "curl_easy_init failed") }
    self.handle = handle
    self.maxBodyBytes = max(0, maxBodyBytes)
    self.timeoutReason = timeoutReason
    for header in headers {
      // "Name:" would remove a header curl adds itself; "Name;" sends it empty.
      let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
      requestHeaders = ccurl_slist_append(requestHeaders, line)
    }
    let milliseconds = Int(min(max(1, timeout / .milliseconds(1)), Double(Int32.max)))
    let context = Unmanaged.passUnretained(self).toOpaque()
    let codes = [
      ccurl_easy_setopt_pointer(handle, CURLoption(CCURLOPT_URL), url),
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_HTTPGET), 1),
      ccurl_easy_setopt_pointer(handle, CURLoption(CCURLOPT_HTTPHEADER), requestHeaders),
      // Only HTTP and HTTPS, and no redirect followed here: LiveBackend decides where credentials go.
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_PROTOCOLS), Int(CCURLPROTO_HTTP | CCURLPROTO_HTTPS)),
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_REDIR_PROTOCOLS), Int(CCURLPROTO_HTTP | CCURLPROTO_HTTPS)),
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_FOLLOWLOCATION), 0),
      // TLS verification on (curl's defaults, stated): the peer's chain and its host name.
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_SSL_VERIFYPEER), 1),
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_SSL_VERIFYHOST), 2),
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_TIMEOUT_MS), milliseconds),
      // Threads, not signals, bound name resolution: curl must not touch the process's signals.
      ccurl_easy_setopt_long(handle, CURLoption(CCURLOPT_NOSIGNAL), 1),
      // Every encoding this libcurl decodes (gzip at least).
      ccurl_easy_setopt_pointer(handle, CURLoption(CCURLOPT_ACCEPT_ENCODING), ""),
      ccurl_easy_setopt_callback(handle, CURLoption(CCURLOPT_WRITEFUNCTION), curlWriteBody),
      ccurl_easy_setopt_pointer(handle, CURLoption(CCURLOPT_WRITEDATA), context),
      ccurl_easy_setopt_callback(handle, CURLoption(CCURLOPT_HEADERFUNCTION), curlWriteHeader),
      ccurl_easy_setopt_pointer(handle, CURLoption(CCURLOPT_HEADERDATA), context),
    ]
    if let failed = codes.first(where: { $0 != CCURLE_OK }) {
      throw RadarError.unavailable(reason: Libcurl.reason(for: failed))
    }
  }

  deinit {
    ccurl_easy_cleanup(handle)
    ccurl_slist_free_all(requestHeaders)
  }

  /// Sets whom ``complete(_:)`` answers; called once, before the transfer starts.
  func wait(with continuation: CheckedContinuation<HTTPResponse, any Error>) {
    self.continuation = continuation
  }

  /// Remembers a cancel that may come before the multi handle's thread sees the transfer.
  func markCancelled() { cancelled.withLock { $0 = true } }

  var isCancelled: Bool { cancelled.withLock { $0 } }

  /// Ends the transfer with curl's result (`nil`: cancelled) and resumes the caller, once.
  func complete(_ code: Int32?) {
    let outcome: Result<HTTPResponse, any Error>
    if code != nil, let oversized {
      outcome = .failure(RadarError.answerTooLarge(estimatedBytes: oversized, limit: maxBodyBytes))
    } else if code != nil, headersTooLarge {
      outcome = .failure(RadarError.unavailable(reason: "the answer's headers pass \(Self.maxHeaderBytes >> 10) KiB"))
    } else if let code, code == 28 {  // CURLE_OPERATION_TIMEDOUT
      outcome = .failure(RadarError.unavailable(reason: timeoutReason))
    } else if let code {
      var status = 0
      if code == CCURLE_OK, ccurl_easy_getinfo_long(handle, CURLINFO(CCURLINFO_RESPONSE_CODE), &status) == CCURLE_OK {
        outcome = .success(HTTPResponse(status: status, headers: responseHeaders, body: body))
      } else {
        outcome = .failure(RadarError.unavailable(reason: Libcurl.reason(for: code == CCURLE_OK ? 8 : code)))
      }
    } else {
      outcome = .failure(CancellationError())
    }
    continuation?.resume(with: outcome)
    continuation = nil
  }

  /// Takes a piece of the body; `false` (abort the transfer) once the body would pass ``maxBodyBytes``.
  fileprivate func receive(body bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count <= maxBodyBytes - body.count else {
      oversized = body.count + bytes.count
      return false
    }
    body.append(contentsOf: bytes)
    return true
  }

  /// One header line: a status line starts a new header block (a 1xx answer, a proxy's CONNECT
  /// answer); names are lower-cased; a repeated name's values are joined with ", ". `false`
  /// (abort the transfer) for a `Content-Length` larger than ``maxBodyBytes``: read as `1*DIGIT`,
  /// saturating, so no length overflows an integer; and once the headers pass ``maxHeaderBytes``.
  fileprivate func receive(headerLine bytes: UnsafeRawBufferPointer) -> Bool {
    headerBytes += bytes.count
    guard headerBytes <= Self.maxHeaderBytes else {
      headersTooLarge = true
      return false
    }
    var end = bytes.count
    while end > 0, bytes[end - 1] == 0x0D || bytes[end - 1] == 0x0A { end -= 1 }
    let line = Substring(String(decoding: bytes[..<end], as: UTF8.self))
    if line.hasPrefix("HTTP/") {
      responseHeaders = [:]
      return true
    }
    guard let colon = line.firstIndex(of: ":") else { return true }
    let name = line[..<colon].lowercased()
    var value = line[line.index(after: colon)...]
    while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
    while let last = value.last, last == " " || last == "\t" { value.removeLast() }
    if let earlier = responseHeaders[name] {
      responseHeaders[name] = earlier + ", " + value
    } else {
      responseHeaders[name] = String(value)
    }
    if name == "content-length", let length = Digits.value(of: value), length > maxBodyBytes {
      oversized = length
      return false
    }
    return true
  }
}

/// CURLOPT_WRITEFUNCTION: a piece of the body, on the multi handle's thread.
private let curlWriteBody: ccurl_data_callback = { data, size, count, context in
  deliver(data, size * count, context) { $0.receive(body: $1) }
}

/// CURLOPT_HEADERFUNCTION: one whole header line, on the multi handle's thread.
private let curlWriteHeader: ccurl_data_callback = { data, size, count, context in
  deliver(data, size * count, context) { $0.receive(headerLine: $1) }
}

/// Hands `bytes` bytes at `data` to the transfer `context` points at; returns what curl expects
/// (the count taken, or 0 to abort when `receive` says no).
private func deliver(
  _ data: UnsafeMutablePointer<CChar>?, _ bytes: Int, _ context: UnsafeMutableRawPointer?,
  to receive: (CurlTransfer, UnsafeRawBufferPointer) -> Bool
) -> Int {
  guard let context else { return 0 }
  let taken = receive(
    Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue(), UnsafeRawBufferPointer(start: data, count: bytes)
  )
  return taken ? bytes : 0
}
