import CCurl
import SystemSupport

/// The system's libcurl, loaded on the first live request (see Sources/CCurl).
///
/// Loading it lazily keeps libcurl and the ~40 shared libraries behind it (TLS, HTTP/2,
/// compression, IDN) out of every server that never talks to Cloudflare: `--demo` starts
/// without them and runs where libcurl is missing. It is `$RADAR_RPC_LIBCURL` when that is set
/// (a wrong explicit path is an error, not a reason to load another copy), else the first of
/// ``defaultCandidates`` that loads.
enum Libcurl {
  /// `curl_multi_poll` came in 7.66.0, `curl_multi_wakeup` in 7.68.0 (January 2020).
  static let minimumVersion: UInt32 = 0x07_44_00

  #if canImport(Darwin)
    static let defaultCandidates = ["/usr/lib/libcurl.4.dylib", "libcurl.4.dylib"]
  #else
    /// The OpenSSL build, then the GnuTLS one (the only one some desktop distributions
    /// install): the same API and ABI.
    static let defaultCandidates = ["libcurl.so.4", "libcurl-gnutls.so.4"]
  #endif

  private static let loaded = Locked<Result<String, RadarError>?>(nil)

  /// Loads libcurl once per process and returns its version; the failure, with what was tried,
  /// is remembered.
  static func load(environment: [String: String]) -> Result<String, RadarError> {
    loaded.withLock { cached in
      if let cached { return cached }
      let result = load(candidates: candidates(environment: environment))
      cached = result
      return result
    }
  }

  static func candidates(environment: [String: String]) -> [String] {
    if let explicit = environment["RADAR_RPC_LIBCURL"], !explicit.isEmpty { return [explicit] }
    return defaultCandidates
  }

  /// Serialises `ccurl_load` (`curl_global_init` is not thread-safe before curl 7.84). It holds
  /// how many loads were tried: a lock around an empty value (`Locked(())`) gives ThreadSanitizer
  /// a zero-sized variable at the object's own address, which it reported as a race with the
  /// unlocked read of the object's header when two threads loaded at once.
  private static let loader = Locked(0)

  /// Tries each candidate in turn; the first that loads is the process's libcurl from then on.
  static func load(candidates: [String]) -> Result<String, RadarError> {
    var failures: [String] = []
    for path in candidates {
      var reason = [CChar](repeating: 0, count: 512)
      let status = loader.withLock { tries in
        tries += 1
        return ccurl_load(path, minimumVersion, &reason, reason.count)
      }
      if status == 0 {
        return .success(ccurl_version().map { String(cString: $0) } ?? "unknown")
      }
      failures.append(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return .failure(
      .unavailable(
        reason: "the live backend needs libcurl (\(candidates.joined(separator: " or "))), which could not be "
          + "loaded: \(failures.joined(separator: "; ")); install the system's libcurl package "
          + "(libcurl4 on Debian and Ubuntu), set RADAR_RPC_LIBCURL to its path, or use --demo"))
  }

  /// A short reason for a failed transfer, in our own words: nothing from the request (its URL,
  /// its headers) ever shows up in it. Codes are curl's `CURLcode` values (libcurl-errors(3)).
  static func reason(for code: Int32) -> String {
    switch code {
    case 1: return "unsupported protocol"
    case 3: return "invalid URL"
    case 5: return "proxy host not found"
    case 6: return "host not found"
    case 7: return "connection refused"
    case 8, 52: return "empty or malformed HTTP answer"
    case 16, 92: return "HTTP/2 error"
    case 18: return "connection closed before the whole body arrived"
    case 28: return "timed out"
    case 35, 58, 59, 66, 80, 83, 90, 91: return "TLS handshake failed"
    case 60, 77: return "TLS certificate verification failed"
    case 55, 56: return "connection lost (reset by the server)"
    case 61: return "the answer's content encoding could not be decoded"
    case 97: return "the proxy refused the connection"
    default:
      let text = ccurl_easy_strerror(code).map { String(cString: $0) } ?? "unknown"
      return "network error (curl error \(code): \(text))"
    }
  }
}
