#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension BaseURL {
  /// The base URL as the shared cache and the shared rate budget name their upstream, so that one
  /// upstream gets one budget and one set of results however its URL is spelt: the scheme and
  /// host in lower case (``URLOrigin``), the port always written (the scheme's default when the URL
  /// has none), and the path with its `.` segments dropped, `..` segments applied, and no
  /// trailing `/` (RFC 3986 §6.2.2). `https://API.cloudflare.com:443/client/v4/.` is
  /// `https://api.cloudflare.com:443/client/v4`.
  ///
  /// Another host name for the same server (`localhost` and `127.0.0.1`, a CNAME) is another
  /// upstream here: telling them apart would take name resolution, and a proxy in front of one
  /// name may count requests on its own.
  public var sharedName: String {
    let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
    let path = URLComponents(string: string)?.percentEncodedPath ?? ""
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
      switch segment {
      case ".": continue
      case "..": _ = segments.popLast()
      default: segments.append(segment)
      }
    }
    while segments.last == "" { segments.removeLast() }
    return "\(origin.scheme)://\(host):\(origin.port)" + segments.map { "/" + $0 }.joined()
  }
}
