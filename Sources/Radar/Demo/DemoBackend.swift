#if canImport(FoundationEssentials)
  public import FoundationEssentials
#else
  public import Foundation
#endif

/// The embedded demo Radar (`--demo`): answers every Radar request with deterministic,
/// traffic-like synthetic data, without a network or credentials.
///
/// It sits behind ``RadarBackend`` like the live backend and sees the same canonical requests:
/// only the path (its last segment is the dimension) and the query items, as Cloudflare's HTTP
/// server would. Answers have Cloudflare's `result` shape (`meta` plus one object per series, values
/// as strings); parameters shape them as the real API does, and requests the real API rejects get
/// the same kind of error (HTTP 400, code 2001). See `protocol/demo.md` for the data.
public struct DemoBackend: RadarBackend {
  public var name: String { "demo" }
  /// Simulated upstream latency per call, so coalescing, cancellation and progress can be seen offline.
  public let latency: Duration
  private let now: @Sendable () -> Date

  /// - Parameters:
  ///   - latency: how long each call waits before answering (cancellation ends the wait at once).
  ///   - now: the clock that "now" in relative date ranges comes from (injected by tests).
  public init(latency: Duration = .zero, now: @escaping @Sendable () -> Date = { Date() }) {
    self.latency = latency
    self.now = now
  }

  /// Waits `latency`, then answers. Throws `CancellationError` when the task is cancelled, or
  /// ``RadarError/upstream(httpStatus:errors:retryAfterSeconds:)`` (400, code 2001) for a request
  /// Radar would reject.
  public func fetch(_ request: RadarRequest) async throws -> RadarResult {
    if latency > .zero { try await Task.sleep(for: latency) }
    try Task.checkCancellation()
    return try result(for: request)
  }

  /// The answer to `request` at the clock's current time, computed synchronously (no latency).
  public func result(for request: RadarRequest) throws(RadarError) -> RadarResult {
    let seconds = now().timeIntervalSince1970
    return try DemoAnswer.make(request, now: seconds.isFinite ? Int64(seconds.rounded(.down)) : 0)
  }
}
