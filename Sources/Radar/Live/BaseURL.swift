#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The upstream base URL (`CLOUDFLARE_BASE_URL` or `--base-url`), checked before any traffic.
///
/// Credentials must never travel in clear text to another machine, so a plain `http://` URL is
/// accepted only for a loopback host (127.0.0.0/8, ::1, `localhost`): that is how tests and local
/// proxies reach a fake. User info, a query or a fragment are refused too.
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
  /// Cloudflare's API: `https://api.cloudflare.com/client/v4`.
  public static let cloudflare = BaseURL(
    checked: "https://api.cloudflare.com/client/v4",
    origin: URLOrigin(scheme: "https", host: "api.cloudflare.com", port: 443))

  /// The URL without a trailing slash; request paths (`/radar/…`) are appended to it.
  public let string: String
  /// Where credentials may go: scheme, host and port of this URL.
  let origin: URLOrigin

  private init(checked string: String, origin: URLOrigin) {
    self.string = string
    self.origin = origin
  }

  /// Validates `text`; throws ``BaseURLError`` (the server exits with code 2).
  public init(_ text: String) throws(BaseURLError) {
    let trimmed = String(text.trimmingWhitespace)
    guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else { throw .malformed }
    guard scheme == "https" || scheme == "http" else { throw .unsupportedScheme(scheme) }
    guard components.user == nil, components.password == nil else { throw .containsCredentials }
    guard components.query == nil, components.fragment == nil else { throw .hasQueryOrFragment }
    guard let url = URL(string: trimmed) else { throw .malformed }
    guard let origin = URLOrigin(url) else { throw .portOutOfRange }
    if scheme == "http", !Loopback.isLoopback(host: origin.host) { throw .insecure(host: origin.host) }
    var string = trimmed
    while string.hasSuffix("/") { string.removeLast() }
    self.init(checked: string, origin: origin)
  }

  /// The base URL to use: `--base-url` wins over `CLOUDFLARE_BASE_URL`; Cloudflare's when neither is set.
  public static func resolve(argument: String?, environment: [String: String]) throws(BaseURLError) -> BaseURL {
    if let argument, !argument.isEmpty { return try BaseURL(argument) }
    if let value = environment["CLOUDFLARE_BASE_URL"], !value.isEmpty { return try BaseURL(value) }
    return .cloudflare
  }

  public var description: String { string }
}

/// Why a base URL was refused. Messages never repeat user info (it may hold a secret).
public enum BaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
  case malformed
  case unsupportedScheme(String)
  /// Plain `http://` to a host that is not a loopback address.
  case insecure(host: String)
  case containsCredentials
  case hasQueryOrFragment
  /// A port that is not a number in 1…65535.
  case portOutOfRange

  public var description: String {
    switch self {
    case .malformed: "the base URL is not an absolute http(s) URL with a host"
    case .unsupportedScheme(let scheme): "the base URL scheme '\(scheme)' is not http or https"
    case .insecure(let host):
      "refusing plain http to '\(host)': credentials would travel in clear text; use https, or http only to a loopback host"
    case .containsCredentials: "the base URL must not contain user info; pass credentials in the environment"
    case .hasQueryOrFragment: "the base URL must not have a query or a fragment"
    case .portOutOfRange:
      "the base URL's port must be a number in \(URLOrigin.ports.lowerBound)…\(URLOrigin.ports.upperBound)"
    }
  }
}
