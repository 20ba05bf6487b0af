/// How long an answer asks us to wait before trying again: `retry-after-ms` (as Cloudflare's
/// SDKs honour it), else `Retry-After` as delay-seconds or an HTTP date.
enum RetryAfter {
  /// Seconds to wait (never negative), or `nil` when neither header is present and valid.
  /// - Parameters:
  ///   - headers: response headers with lower-cased names.
  ///   - now: seconds since 1970, to turn an HTTP date into a delay.
  static func seconds(in headers: [String: String], now: Double) -> Double? {
    if let text = headers["retry-after-ms"], let ms = Double(text.trimmingWhitespace), ms.isFinite, ms >= 0 {
      return ms / 1000
    }
    guard let text = headers["retry-after"]?.trimmingWhitespace, !text.isEmpty else { return nil }
    if let seconds = Double(text) {
      return seconds.isFinite && seconds >= 0 ? seconds : nil
    }
    guard let date = HTTPDate.secondsSince1970(String(text)) else { return nil }
    return max(0, Double(date) - now)
  }
}
