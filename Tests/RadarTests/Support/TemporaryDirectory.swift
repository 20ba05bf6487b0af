import Foundation

/// A fresh directory of its own under the system's temporary directory, removed with its
/// contents when the value goes away: every shared-cache test gets one, so none touches the
/// user's real cache or another test's.
final class TemporaryDirectory: Sendable {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/radar-rpc-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// POSIX permission bits of `relative` (below this directory).
  func permissions(_ relative: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + relative)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  /// Names of the files in `relative`.
  func files(_ relative: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []
  }
}
