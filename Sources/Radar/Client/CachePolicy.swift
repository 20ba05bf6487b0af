extension RadarClient {
  /// Whether a fetch may be answered from the result cache.
  public enum CachePolicy: Sendable, Hashable {
    /// Answer from the cache when a fresh result is there (the default).
    case useCache
    /// Skip the cache read (subscription polls); the call is still coalesced, and its result stored.
    case refresh
  }
}
