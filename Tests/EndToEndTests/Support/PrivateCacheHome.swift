import Foundation

/// A fresh `XDG_CACHE_HOME` of its own for one spawned server, removed with it: the live backend
/// keeps a cache and a rate budget shared across processes there (issue 19), and no test may
/// share them by accident — with the user's real `~/.cache`, with another test, or with a server
/// the same test started before. A test that wants servers to share passes `--cache-dir`.
final class PrivateCacheHome: Sendable {
  let path: String

  init() {
    path = FileManager.default.temporaryDirectory.path + "/radar-rpc-e2e-cache-" + UUID().uuidString
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `environment` with `XDG_CACHE_HOME` set to this directory, unless it already sets one.
  func applied(to environment: [String: String]) -> [String: String] {
    var environment = environment
    if environment["XDG_CACHE_HOME"] == nil { environment["XDG_CACHE_HOME"] = path }
    return environment
  }
}
