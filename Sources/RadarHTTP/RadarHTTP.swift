// The HTTP stack of radar-rpc, as a plug-in: `libRadarHTTP` is loaded by the live backend on
// its first request (see Sources/Radar/Live/HTTPLibrary.swift), so that a server that never
// talks to Cloudflare — the demo backend, a script that only validates, an editor that starts
// the server at launch — never loads FoundationNetworking and the ~40 shared libraries of
// libcurl (measured: 12 ms of start-up and 13 MB of memory).
//
// The boundary is a C ABI of three functions with plain bytes across it, so the library
// shares no Swift types with the executable:
//
//   radar_http_create(maxConnections) -> session
//   radar_http_get(session, url, headers, timeoutMilliseconds, context, callback) -> request
//   radar_http_cancel(session, request)
//
// `headers` are `name\0value\0…\0` (an empty name ends the list); the callback receives the
// status (or a negative failure kind), the response headers in the same encoding with
// lower-cased names, the body, and a short reason on failure. It is called exactly once per
// request, also after a cancel.
import Foundation
import SystemSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Failure kinds passed as a negative status.
enum FailureKind: Int32 {
  case network = -1
  case cancelled = -2
  case timedOut = -3
}

public typealias RadarHTTPCallback =
  @convention(c) (
    _ context: UnsafeMutableRawPointer?, _ status: Int32, _ headers: UnsafePointer<UInt8>?, _ headersLength: Int,
    _ body: UnsafePointer<UInt8>?, _ bodyLength: Int, _ reason: UnsafePointer<CChar>?
  ) -> Void

/// One URLSession (connections kept alive and reused) and the tasks in flight on it.
final class HTTPSession: Sendable {
  let session: URLSession
  private let tasks = Locked<(next: UInt64, byID: [UInt64: URLSessionDataTask])>((1, [:]))

  init(maxConnections: Int) {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = max(1, maxConnections)
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
  }

  func get(
    url: URL, headers: [(String, String)], timeout: TimeInterval, complete: @escaping @Sendable (Outcome) -> Void
  ) -> UInt64 {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.httpMethod = "GET"
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let id = tasks.withLock { state -> UInt64 in
      defer { state.next += 1 }
      return state.next
    }
    let task = session.dataTask(with: request) { [self] data, response, error in
      tasks.withLock { _ = $0.byID.removeValue(forKey: id) }
      complete(Outcome(data: data, response: response, error: error))
    }
    tasks.withLock { $0.byID[id] = task }
    task.resume()
    return id
  }

  func cancel(_ id: UInt64) {
    tasks.withLock { $0.byID[id] }?.cancel()
  }
}

/// What one request ended with, already in the ABI's terms.
struct Outcome: Sendable {
  var status: Int32
  var headers: [UInt8] = []
  var body: [UInt8] = []
  var reason: String? = nil

  init(data: Data?, response: URLResponse?, error: (any Error)?) {
    if let error {
      let urlError = error as? URLError
      switch urlError?.code {
      case .cancelled?: status = FailureKind.cancelled.rawValue
      case .timedOut?: status = FailureKind.timedOut.rawValue
      default: status = FailureKind.network.rawValue
      }
      reason = Self.reason(for: urlError)
      return
    }
    guard let http = response as? HTTPURLResponse else {
      status = FailureKind.network.rawValue
      reason = "the upstream answer is not HTTP"
      return
    }
    status = Int32(clamping: http.statusCode)
    for (name, value) in http.allHeaderFields {
      guard let name = name as? String, let value = value as? String else { continue }
      headers += Array(name.lowercased().utf8) + [0] + Array(value.utf8) + [0]
    }
    body = data.map(Array.init) ?? []
  }

  /// A short reason in our own words: an error's own description may carry the URL, and must
  /// never be where a header shows up.
  static func reason(for error: URLError?) -> String {
    guard let error else { return "network error" }
    switch error.code {
    case .timedOut: return "timed out"
    case .cancelled: return "cancelled"
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

/// Stops every redirect, so the caller sees the 3xx answer and decides where credentials go.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}

/// The context pointer travels through a Sendable box: the caller guarantees it stays valid
/// until the callback, which is the whole contract of the ABI.
private struct Context: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer?
}

// MARK: - The C ABI

@_cdecl("radar_http_abi_version")
public func radar_http_abi_version() -> Int32 { 1 }

@_cdecl("radar_http_create")
public func radar_http_create(_ maxConnections: Int32) -> UnsafeMutableRawPointer {
  Unmanaged.passRetained(HTTPSession(maxConnections: Int(maxConnections))).toOpaque()
}

@_cdecl("radar_http_get")
public func radar_http_get(
  _ session: UnsafeMutableRawPointer, _ url: UnsafePointer<CChar>, _ headers: UnsafePointer<UInt8>?,
  _ headersLength: Int, _ timeoutMilliseconds: Int64, _ context: UnsafeMutableRawPointer?,
  _ callback: RadarHTTPCallback
) -> UInt64 {
  let http = Unmanaged<HTTPSession>.fromOpaque(session).takeUnretainedValue()
  let context = Context(pointer: context)
  guard let target = URL(string: String(cString: url)) else {
    "invalid URL".withCString { callback(context.pointer, FailureKind.network.rawValue, nil, 0, nil, 0, $0) }
    return 0
  }
  var pairs: [(String, String)] = []
  if let headers {
    let fields = UnsafeBufferPointer(start: headers, count: headersLength).split(
      separator: 0, omittingEmptySubsequences: false)
    var i = 0
    while i + 1 < fields.count, !fields[i].isEmpty {
      pairs.append((String(decoding: fields[i], as: UTF8.self), String(decoding: fields[i + 1], as: UTF8.self)))
      i += 2
    }
  }
  return http.get(url: target, headers: pairs, timeout: Double(timeoutMilliseconds) / 1000) { outcome in
    outcome.headers.withUnsafeBufferPointer { h in
      outcome.body.withUnsafeBufferPointer { b in
        if let reason = outcome.reason {
          reason.withCString {
            callback(context.pointer, outcome.status, h.baseAddress, h.count, b.baseAddress, b.count, $0)
          }
        } else {
          callback(context.pointer, outcome.status, h.baseAddress, h.count, b.baseAddress, b.count, nil)
        }
      }
    }
  }
}

@_cdecl("radar_http_cancel")
public func radar_http_cancel(_ session: UnsafeMutableRawPointer, _ request: UInt64) {
  Unmanaged<HTTPSession>.fromOpaque(session).takeUnretainedValue().cancel(request)
}
