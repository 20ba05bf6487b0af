#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Scheme, host and port of a URL: credentials go to the base URL's origin and to no other,
/// including after a redirect.
struct URLOrigin: Sendable, Hashable {
  let scheme: String
  let host: String
  let port: Int

  init(scheme: String, host: String, port: Int) {
    self.scheme = scheme
    self.host = host
    self.port = port
  }

  /// `nil` for a URL that is not http(s), has no host, or names a port outside 1…65535. Hosts
  /// compare case-insensitively and without IPv6 brackets; a missing port is the scheme's default.
  ///
  /// The port is text from outside (a base URL, a redirect's `Location`): Foundation reads a port
  /// past what an integer holds as no port at all, which would make `:99999999999999999999` the
  /// scheme's default port here; a port that is written must be read as one (contract §7).
  init?(_ url: URL) {
    guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      var host = url.host?.lowercased(), !host.isEmpty
    else { return nil }
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    let written = URLComponents(url: url, resolvingAgainstBaseURL: true)?.rangeOfPort != nil
    guard written ? url.port.map(Self.ports.contains) == true : true else { return nil }
    self.init(scheme: scheme, host: host, port: url.port ?? (scheme == "https" ? 443 : 80))
  }

  /// The TCP ports a URL may name.
  static let ports = 1...65_535
}
