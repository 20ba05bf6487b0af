import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One HTTP answer: status, headers with lower-cased names, and the whole body.
struct HTTPResponse: Sendable {
  let status: Int
  let headers: [String: String]
  let body: [UInt8]
}

/// GET requests over one `URLSession`, so connections to Cloudflare are kept alive and reused.
///
/// Redirects are never followed here: the session delegate refuses them and the 3xx answer is
/// returned, so ``LiveBackend`` decides where credentials may go. Task cancellation cancels the
/// request at once.
final class HTTPTransport: Sendable {
  private let session: URLSession

  init(maxConnections: Int) {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = max(1, maxConnections)
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
  }

  deinit {
    session.invalidateAndCancel()
  }

  /// Sends one GET; throws ``RadarError/unavailable(reason:)`` for network failures and
  /// `CancellationError` when the calling task is cancelled.
  func get(_ url: URL, headers: [(name: String, value: String)], timeout: Duration) async throws -> HTTPResponse {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout.seconds)
    request.httpMethod = "GET"
    for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
    let handle = TaskHandle()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
        let task = session.dataTask(with: request) { data, response, error in
          continuation.resume(with: Self.outcome(data: data, response: response, error: error))
        }
        handle.start(task)
      }
    } onCancel: {
      handle.cancel()
    }
  }

  private static func outcome(data: Data?, response: URLResponse?, error: (any Error)?) -> Result<HTTPResponse, any Error> {
    if let error {
      if let urlError = error as? URLError, urlError.code == .cancelled { return .failure(CancellationError()) }
      return .failure(RadarError.unavailable(reason: reason(for: error)))
    }
    guard let http = response as? HTTPURLResponse else {
      return .failure(RadarError.unavailable(reason: "the upstream answer is not HTTP"))
    }
    var headers: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
    }
    return .success(HTTPResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
  }

  /// A short reason for a network failure, in our own words: the error's own description may
  /// carry the URL, and must never be the place a header shows up.
  private static func reason(for error: any Error) -> String {
    guard let error = error as? URLError else { return "network error" }
    switch error.code {
    case .timedOut: return "timed out"
    case .cannotConnectToHost: return "connection refused"
    case .networkConnectionLost: return "connection lost (reset by the server)"
    case .unknown where (error.userInfo[NSLocalizedDescriptionKey] as? String)?.hasPrefix("transfer closed") == true:
      return "connection closed before the whole body arrived"
    case .cannotFindHost, .dnsLookupFailed: return "host not found"
    case .notConnectedToInternet: return "not connected to a network"
    case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
      .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
      return "TLS handshake failed"
    case .badServerResponse: return "empty or malformed HTTP answer"
    case .zeroByteResource: return "empty answer"
    default: return "network error (URLError \(error.code.rawValue))"
    }
  }
}

/// The data task of one request, so a cancellation that races with its start still cancels it.
private final class TaskHandle: Sendable {
  private let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

  func start(_ task: URLSessionDataTask) {
    let cancelled = state.withLock { state in
      state.task = task
      return state.cancelled
    }
    task.resume()
    if cancelled { task.cancel() }
  }

  func cancel() {
    let task = state.withLock { state in
      state.cancelled = true
      return state.task
    }
    task?.cancel()
  }
}

/// Stops every redirect, so the caller sees the 3xx answer and follows it itself.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}
