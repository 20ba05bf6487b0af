import Diagnostics
import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the shared cache lives (`--cache-dir`; by default `$XDG_CACHE_HOME/radar-rpc`, else
/// `~/.cache/radar-rpc`) and how it is laid out:
///
///     radar-rpc/            mode 0700: only its owner may enter
///       results/<sha256>    one result per canonical request (see ``CacheEntry``), mode 0600
///       flights/<sha256>    lock files of calls in flight, one per canonical request
///       budgets/<sha256>    rate budgets, one per base URL and credential, each its own lock file
///                           (see ``SharedRateBudget``)
///       store.lock          held while a result is written and older ones evicted
///
/// File names are SHA-256 digests, so no request text and no credential appears in a name.
/// Nothing here is created until the live backend's first call.
public struct CacheDirectory: Sendable, Hashable, CustomStringConvertible {
  public let path: String

  public init(path: String) {
    var path = path
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    self.path = path
  }

  /// `$XDG_CACHE_HOME/radar-rpc` when `XDG_CACHE_HOME` is an absolute path (the XDG base
  /// directory specification ignores a relative one), else `$HOME/.cache/radar-rpc` (the home
  /// directory from the password database when `HOME` is unset); `nil` when there is no home.
  public static func standard(environment: [String: String]) -> CacheDirectory? {
    func below(_ base: String, _ relative: String) -> CacheDirectory {
      let base = CacheDirectory(path: base).path
      return CacheDirectory(path: (base == "/" ? "" : base) + relative)
    }
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return below(xdg, "/radar-rpc") }
    if let home = environment["HOME"], home.hasPrefix("/") { return below(home, "/.cache/radar-rpc") }
    guard let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir else { return nil }
    let home = String(cString: directory)
    return home.hasPrefix("/") ? below(home, "/.cache/radar-rpc") : nil
  }

  /// What `--help` shows as the default.
  public static let standardDescription = "$XDG_CACHE_HOME/radar-rpc, else ~/.cache/radar-rpc"

  var results: String { path + "/results" }
  var flights: String { path + "/flights" }
  var budgets: String { path + "/budgets" }
  var storeLock: String { path + "/store.lock" }

  /// Whether `results/`, `flights/` and `budgets/` are there, as directories and not symbolic
  /// links (three `lstat` calls).
  var isWhole: Bool { [results, flights, budgets].allSatisfy { Files.isDirectory($0, followingLink: false) } }

  /// Creates the directory and its subdirectories, each private to this user (mode 0700). The
  /// directory itself may be a symbolic link the user made (`~/.cache` on another disk); its
  /// subdirectories may not: eviction and `--cache-clear` delete files in them, and must never
  /// delete in a link's target.
  /// - Throws: ``Files/DirectoryError`` when a part cannot be made, is not a directory, is a
  ///   symbolic link (a subdirectory), or belongs to another user.
  func prepare() throws(Files.DirectoryError) {
    try Files.makePrivateDirectory(path)
    for sub in [results, flights, budgets] { try Files.makePrivateDirectory(sub, followingLink: false) }
  }

  public var description: String { path }
}

/// A ``CacheDirectory`` made ready on first use: created (private) once, and made again when it
/// is gone (a user removed it while the process ran: `rm -rf ~/.cache/radar-rpc`). When that
/// fails, a warning once and no shared state for this process (it then works alone, as with
/// `--no-shared-cache`). One per directory in a process (``shared(_:)``): the cache and the rate
/// budget share it, and so its warning.
final class PreparedDirectory: Sendable {
  let directory: CacheDirectory
  /// `nil` before the first use; then whether the directory could be made ready.
  private let outcome = Locked<Bool?>(nil)

  private static let all = Locked<[CacheDirectory: PreparedDirectory]>([:])

  /// This process's one for `directory`.
  static func shared(_ directory: CacheDirectory) -> PreparedDirectory {
    all.withLock { all in
      if let prepared = all[directory] { return prepared }
      let prepared = PreparedDirectory(directory)
      all[directory] = prepared
      return prepared
    }
  }

  private init(_ directory: CacheDirectory) {
    self.directory = directory
  }

  /// True while the directory and its parts exist and are private to this user.
  var isReady: Bool {
    let known = outcome.withLock { $0 }
    if known == false { return false }
    if known == true, directory.isWhole { return true }
    return outcome.withLock { outcome in
      if let outcome, !outcome { return false }
      do {
        try directory.prepare()
        if outcome == true { Logger.shared.info("the shared cache directory \(directory) was removed; made it again") }
        outcome = true
      } catch {
        Logger.shared.warn("the shared cache is off for this process: \(error)")
        outcome = false
      }
      return outcome!
    }
  }
}
