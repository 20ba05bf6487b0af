/// A number written as HTTP writes counts and delays: `1*DIGIT` (RFC 9110 §5.6.1's `delay-seconds`,
/// §8.6's `Content-Length`), surrounding spaces and tabs allowed as around any field value.
///
/// Header values are untrusted (contract §7): the value saturates instead of overflowing, and
/// anything but digits — a sign, a fraction, an exponent, hex — is not a number at all.
enum Digits {
  /// The most a value reads as: more than any delay, size or count radar-rpc acts on, and far from
  /// where an `Int`, a `Double`'s exact integers or a `Duration` in milliseconds end.
  static let ceiling = 1_000_000_000_000_000

  /// The value of `text`, saturating at ``ceiling``; `nil` unless it is one or more ASCII digits.
  static func value(of text: some StringProtocol) -> Int? {
    let field = text.trimmingWhitespace.utf8
    guard !field.isEmpty else { return nil }
    var value = 0
    for byte in field {
      guard byte &- 0x30 < 10 else { return nil }
      value = min(value * 10 + Int(byte &- 0x30), ceiling)
    }
    return value
  }
}
