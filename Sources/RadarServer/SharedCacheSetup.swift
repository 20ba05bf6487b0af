import Diagnostics
import Radar

/// What the options make of the shared cache (issue 19): the directory, the ``SharedCache`` and
/// ``SharedRateBudget`` of a live server, and `--cache-clear`.
enum SharedCacheSetup {
  /// `--cache-dir`, else `$XDG_CACHE_HOME/radar-rpc`, else `~/.cache/radar-rpc`; `nil` without a home.
  static func directory(_ options: ServerOptions, environment: [String: String]) -> CacheDirectory? {
    if let path = options.cacheDirectory { return CacheDirectory(path: path) }
    return CacheDirectory.standard(environment: environment)
  }

  /// The shared cache and rate budget of a live server against `baseURL`. The cache is off with
  /// `--no-shared-cache`, `--cache-ttl 0` or `--cache-max-bytes 0`; the budget only with
  /// `--no-shared-cache`. Nothing touches the disk before the first Radar call.
  static func make(
    _ options: ServerOptions, baseURL: BaseURL, credentials: CredentialStore, environment: [String: String]
  ) -> (cache: SharedCache?, budget: SharedRateBudget?) {
    guard !options.noSharedCache else { return (nil, nil) }
    guard let directory = directory(options, environment: environment) else {
      Logger.shared.info("no home directory: the cache and rate budget are this process's alone")
      return (nil, nil)
    }
    let client = options.client
    // One upstream, one budget and one set of results, however its URL is spelt.
    let upstream = baseURL.sharedName
    let budget = SharedRateBudget(
      directory: directory, upstream: upstream, credentials: { credentials.credentials },
      horizon: client.retryPolicy.budget)
    guard client.cacheTTL > .zero, client.cacheMaxBytes > 0 else { return (nil, budget) }
    // A call waits for another process's call of the same request about as long as one call may
    // take here: every attempt's timeout and the waits between them; and, besides, as long as that
    // process says it waits for a rate-limit slot, believed up to one window of --rate-limit.
    let flightWait = options.timeout * (client.retryPolicy.maxRetries + 1) + client.retryPolicy.budget
    let cache = SharedCache(
      directory: directory, upstream: upstream, ttl: client.cacheTTL, maxBytes: client.cacheMaxBytes,
      flightWait: flightWait, queueHorizon: client.rateLimit.per)
    return (cache, budget)
  }

  /// `radar-rpc --cache-clear`: empties the shared cache, says what went on standard error
  /// (standard output carries frames only, contract §1), and returns the exit status (0, or 1
  /// when it could not).
  static func clear(_ options: ServerOptions, environment: [String: String]) async -> Int32 {
    guard let directory = directory(options, environment: environment) else {
      StandardOutput.writeError("radar-rpc: no cache directory: set --cache-dir, XDG_CACHE_HOME or HOME\n")
      return 1
    }
    do {
      switch try await SharedCache.clear(directory) {
      case .removed(let files, let bytes):
        StandardOutput.writeError(
          "radar-rpc: removed \(files) cached result\(files == 1 ? "" : "s") (\(bytes) bytes) from \(directory)\n")
        return 0
      case .noCache:
        StandardOutput.writeError("radar-rpc: no shared cache in \(directory); nothing was removed\n")
        return 0
      case .refused(let reason):
        StandardOutput.writeError("radar-rpc: not clearing \(directory): \(reason)\n")
        return 1
      case .busy:
        StandardOutput.writeError("radar-rpc: the shared cache in \(directory) stayed busy; nothing was removed\n")
        return 1
      }
    } catch {
      return 1
    }
  }
}
