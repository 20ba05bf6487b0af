/// How long an HTTP 429 or 503 answer asks us to wait before trying again (contract §7).
///
/// RFC 9110 §10.2.3: `Retry-After = HTTP-date / delay-seconds`, `delay-seconds = 1*DIGIT`. Anything
/// else (a sign, a fraction, hex, a date out of the grammar) is treated as absent, so the normal
/// backoff applies. `retry-after-ms` (milliseconds, `1*DIGIT`), which Cloudflare's SDKs honour,
/// wins over `Retry-After`. The header only matters on 429 and 503; on any other status it is not
/// read at all. Values are read saturating and clamped to 0…86400 s, so no header can overflow an
/// integer, a `Double`-to-integer conversion or a `Duration`.
enum RetryAfter {
  /// The longest wait an upstream answer can ask for; longer requests are clamped to it.
  static let maximumSeconds = 86_400

  /// Seconds to wait, in 0…86400, or `nil` when the status is not 429/503 or no header is valid.
  /// - Parameters:
  ///   - status: the HTTP status of the answer.
  ///   - headers: response headers with lower-cased names.
  ///   - now: seconds since 1970, to turn an HTTP date into a delay.
  static func seconds(status: Int, headers: [String: String], now: Double) -> Double? {
    guard status == 429 || status == 503 else { return nil }
    if let text = headers["retry-after-ms"], let ms = Digits.value(of: text) {
      return Double(min(ms, maximumSeconds * 1000)) / 1000
    }
    guard let text = headers["retry-after"] else { return nil }
    if let seconds = Digits.value(of: text) { return Double(min(seconds, maximumSeconds)) }
    guard now.isFinite, abs(now) < 1e15,
      let date = HTTPDate.secondsSince1970(text.trimmingWhitespace, now: Int(now.rounded(.down)))
    else { return nil }
    return min(max(0, Double(date) - now), Double(maximumSeconds))
  }
}
