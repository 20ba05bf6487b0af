import SystemSupport

/// One HTTP answer: status, headers with lower-cased names, and the whole body.
struct HTTPResponse: Sendable {
  let status: Int
  let headers: [String: String]
  let body: [UInt8]
}

/// GET requests over one `URLSession` (in the HTTP plug-in), so connections to Cloudflare
/// are kept alive and reused.
///
/// Redirects are never followed here: the 3xx answer is returned, so ``LiveBackend`` decides
/// where credentials may go. Task cancellation cancels the request at once.
final class HTTPTransport: Sendable {
  private let maxConnections: Int
  private let environment: [String: String]
  /// The plug-in and its session, created on the first request.
  private let session = Locked<PluginSession?>(nil)

  /// A session of the plug-in. The handle points at the plug-in's thread-safe session object,
  /// which lives as long as the process: sharing the pointer between threads is safe.
  private struct PluginSession: @unchecked Sendable {
    let library: HTTPLibrary
    let handle: UnsafeMutableRawPointer
  }

  init(maxConnections: Int, environment: [String: String]) {
    self.maxConnections = maxConnections
    self.environment = environment
  }

  private func connect() throws(RadarError) -> PluginSession {
    try session.withLock { (session) throws(RadarError) in
      if let session { return session }
      switch HTTPLibrary.shared(environment: environment) {
      case .failure(let error): throw error
      case .success(let library):
        let created = PluginSession(library: library, handle: library.create(Int32(clamping: maxConnections)))
        session = created
        return created
      }
    }
  }

  /// Sends one GET; throws ``RadarError/unavailable(reason:)`` for network failures and
  /// `CancellationError` when the calling task is cancelled.
  func get(_ url: String, headers: [(name: String, value: String)], timeout: Duration) async throws -> HTTPResponse {
    let plugin = try connect()
    var encoded: [UInt8] = []
    for header in headers { encoded += Array(header.name.utf8) + [0] + Array(header.value.utf8) + [0] }
    encoded += [0, 0]
    let milliseconds = Int64(timeout / .milliseconds(1))
    let pending = PendingRequest()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
        pending.continuation = continuation
        let context = Unmanaged.passRetained(pending).toOpaque()
        let id = url.withCString { cURL in
          encoded.withUnsafeBufferPointer { h in
            plugin.library.get(plugin.handle, cURL, h.baseAddress, h.count, milliseconds, context, httpCallback)
          }
        }
        pending.started(id) { plugin.library.cancel(plugin.handle, id) }
      }
    } onCancel: {
      pending.cancel()
    }
  }
}

/// The state of one request shared with the C callback: its continuation (resumed exactly
/// once, by the callback) and a cancel that may race with its start.
private final class PendingRequest: @unchecked Sendable {
  // `continuation` is written before the request starts and read only by the one callback.
  var continuation: CheckedContinuation<HTTPResponse, any Error>? = nil
  private let state = Locked<(cancel: (@Sendable () -> Void)?, cancelled: Bool)>((nil, false))

  func started(_ id: UInt64, cancel: @escaping @Sendable () -> Void) {
    let cancelNow = state.withLock { s -> Bool in
      s.cancel = cancel
      return s.cancelled
    }
    if cancelNow { cancel() }
  }

  func cancel() {
    let cancel = state.withLock { s -> (@Sendable () -> Void)? in
      s.cancelled = true
      return s.cancel
    }
    cancel?()
  }

  func complete(status: Int32, headers: [String: String], body: [UInt8], reason: String?) {
    let outcome: Result<HTTPResponse, any Error>
    switch status {
    case ..<0 where status == -2: outcome = .failure(CancellationError())
    case ..<0: outcome = .failure(RadarError.unavailable(reason: reason ?? "network error"))
    default: outcome = .success(HTTPResponse(status: Int(status), headers: headers, body: body))
    }
    continuation?.resume(with: outcome)
    continuation = nil
  }
}

/// The plug-in's callback: called exactly once per request, on one of its threads.
private let httpCallback: HTTPLibrary.Callback = { context, status, headers, headersLength, body, bodyLength, reason in
  guard let context else { return }
  let pending = Unmanaged<PendingRequest>.fromOpaque(context).takeRetainedValue()
  var fields: [String: String] = [:]
  if let headers {
    let parts = UnsafeBufferPointer(start: headers, count: headersLength).split(
      separator: 0, omittingEmptySubsequences: false)
    var i = 0
    while i + 1 < parts.count, !parts[i].isEmpty {
      fields[String(decoding: parts[i], as: UTF8.self)] = String(decoding: parts[i + 1], as: UTF8.self)
      i += 2
    }
  }
  let bytes = body.map { Array(UnsafeBufferPointer(start: $0, count: bodyLength)) } ?? []
  pending.complete(status: status, headers: fields, body: bytes, reason: reason.map { String(cString: $0) })
}
