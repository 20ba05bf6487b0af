import Diagnostics

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The backend that talks to Cloudflare's API over HTTPS (`--backend live`, the default).
///
/// One attempt per call (``RadarClient`` coalesces, caches, limits and retries). It sends
/// `GET <base URL><path>?<query>` with `Accept: application/json`, radar-rpc's `User-Agent` and
/// the credentials; it follows at most 5 redirects itself, sending the credentials only to the
/// base URL's origin, and it bounds each attempt (redirects included) by `timeout`.
public final class LiveBackend: RadarBackend {
  public let name = "live"
  /// The most redirects one attempt follows.
  public static let maxRedirects = 5

  private let baseURL: BaseURL
  private let credentials: CredentialStore
  private let timeout: Duration
  private let maxAnswerBytes: Int
  private let transport: HTTPTransport

  /// How long one attempt may take unless `--timeout` says otherwise.
  public static let defaultTimeout: Duration = .seconds(30)

  /// - Parameters:
  ///   - baseURL: where the API lives (validated; see ``BaseURL``).
  ///   - credentials: read on every attempt, so a token set by `initialize` applies at once; every
  ///     value it ever held is redacted from what upstream sends back.
  ///   - timeout: the longest one attempt may take (`--timeout`).
  ///   - maxConnections: connections kept per host; at least the client's `maxConnections`.
  ///   - maxAnswerBytes: the largest answer body taken (after decoding), `--max-message-bytes`
  ///     as for the demo; a larger one fails ``RadarError/answerTooLarge(estimatedBytes:limit:)``
  ///     as soon as its `Content-Length` or its bytes pass the limit (contract §7).
  ///   - environment: where `RADAR_RPC_LIBCURL` may name the libcurl to load (see ``Libcurl``).
  public init(
    baseURL: BaseURL = .cloudflare, credentials: CredentialStore, timeout: Duration = defaultTimeout,
    maxConnections: Int = 6, maxAnswerBytes: Int = .max, environment: [String: String] = [:]
  ) {
    self.baseURL = baseURL
    self.credentials = credentials
    self.timeout = timeout
    self.maxAnswerBytes = maxAnswerBytes
    self.transport = HTTPTransport(maxConnections: maxConnections, environment: environment)
  }

  public func fetch(_ request: RadarRequest) async throws -> RadarResult {
    let credentials = try self.credentials.sendable()
    let query = request.queryString
    guard let url = URL(string: baseURL.string + request.path + (query.isEmpty ? "" : "?" + query)) else {
      throw RadarError.unavailable(reason: "the request path is not a valid URL")
    }
    let timeout = self.timeout
    return try await withThrowingTaskGroup(of: RadarResult.self) { group in
      group.addTask { try await self.attempt(url, request: request, credentials: credentials) }
      group.addTask {
        try await Task.sleep(for: timeout)
        throw RadarError.unavailable(reason: HTTPTransport.timedOut(after: timeout))
      }
      defer { group.cancelAll() }
      return try await group.next()!
    }
  }

  /// One attempt: the request and the redirects it leads to, then the mapping of the answer.
  private func attempt(_ start: URL, request: RadarRequest, credentials: Credentials) async throws -> RadarResult {
    var url = start
    for hop in 0...Self.maxRedirects {
      var headers: [(name: String, value: String)] = [
        ("Accept", "application/json"), ("User-Agent", RadarRPCVersion.userAgent),
      ]
      if URLOrigin(url) == baseURL.origin { headers += credentials.headers }
      let began = ContinuousClock.now
      let response = try await transport.get(
        url.absoluteString, headers: headers, timeout: timeout, maxBodyBytes: maxAnswerBytes)
      Logger.shared.debug(
        "upstream \(request.method) \(hop > 0 ? "(redirect \(hop)) " : "")HTTP \(response.status), "
          + "\(response.body.count) bytes in \(began.duration(to: .now))")
      if [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["location"] {
        guard hop < Self.maxRedirects else { throw RadarError.unavailable(reason: "too many redirects") }
        guard let next = URL(string: location, relativeTo: url)?.absoluteURL, URLOrigin(next) != nil else {
          throw RadarError.unavailable(reason: "redirect to a location that is not an http(s) URL with a valid port")
        }
        url = next
        continue
      }
      return try CloudflareResponse.map(
        status: response.status, headers: response.headers, body: response.body, wantsCSV: request.wantsCSV,
        now: Date().timeIntervalSince1970, redactor: CredentialRedactor(secrets: self.credentials.secrets))
    }
    throw RadarError.unavailable(reason: "too many redirects")
  }
}
