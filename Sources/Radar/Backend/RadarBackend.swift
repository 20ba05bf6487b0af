/// Where Radar answers come from: the live Cloudflare API, the embedded demo, or a test double.
///
/// A backend makes exactly one attempt per call. Coalescing, caching, the connection cap,
/// rate limiting and retries belong to ``RadarClient``, so they behave the same whatever
/// the backend.
public protocol RadarBackend: Sendable {
  /// `"live"` or `"demo"` (reported by `initialize`).
  var name: String { get }

  /// Performs one attempt. Throws ``RadarError`` for failures the contract knows, or
  /// `CancellationError` when the calling task is cancelled.
  func fetch(_ request: RadarRequest) async throws -> RadarResult
}
