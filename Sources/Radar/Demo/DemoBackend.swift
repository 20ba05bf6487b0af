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
  /// The longest simulated latency (a day): a longer one is saturated to it.
  public static let longestLatency = Duration.seconds(86_400)

  /// Simulated upstream latency per call, so coalescing, cancellation and progress can be seen offline.
  public let latency: Duration
  /// The largest answer built, in bytes (`--max-message-bytes`, contract §7).
  public let maxAnswerBytes: Int
  private let now: @Sendable () -> Date

  /// - Parameters:
  ///   - latency: how long each call waits before answering (cancellation ends the wait at once),
  ///     saturated into 0…``longestLatency``.
  ///   - maxAnswerBytes: a request whose answer would be larger fails with
  ///     ``RadarError/answerTooLarge(estimatedBytes:limit:)`` before it is built.
  ///   - now: the clock that "now" in relative date ranges comes from (injected by tests).
  public init(
    latency: Duration = .zero, maxAnswerBytes: Int = .max, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.latency = min(max(latency, .zero), Self.longestLatency)
    self.maxAnswerBytes = maxAnswerBytes
    self.now = now
  }

  /// Waits `latency`, then answers, checking between series whether the calling task was
  /// cancelled. Throws `CancellationError` when it is,
  /// ``RadarError/upstream(httpStatus:errors:retryAfterSeconds:)`` (400, code 2001) for a request
  /// Radar would reject, or ``RadarError/answerTooLarge(estimatedBytes:limit:)``.
  public func fetch(_ request: RadarRequest) async throws -> RadarResult {
    if latency > .zero { try await Task.sleep(for: latency) }
    try Task.checkCancellation()
    guard
      let result = try DemoAnswer.make(
        request, now: nowSeconds(), maxBytes: maxAnswerBytes, isCancelled: { Task.isCancelled })
    else { throw CancellationError() }
    return result
  }

  /// The answer to `request` at the clock's current time, computed synchronously (no latency).
  public func result(for request: RadarRequest) throws(RadarError) -> RadarResult {
    // Never nil: nothing cancels it.
    try DemoAnswer.make(request, now: nowSeconds(), maxBytes: maxAnswerBytes)!
  }

  /// The clock's time in whole seconds since 1970 (0 for a clock that says something unrepresentable).
  private func nowSeconds() -> Int64 {
    let seconds = now().timeIntervalSince1970
    return seconds.isFinite && abs(seconds) < 1e15 ? Int64(seconds.rounded(.down)) : 0
  }
}
