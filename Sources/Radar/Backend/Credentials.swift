/// Cloudflare API credentials. Never printed: `description` is redacted, so a credential cannot
/// reach a log line, an error message or a stats answer by accident.
public enum Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  /// An API token, sent as `Authorization: Bearer …`.
  case apiToken(String)
  /// A Global API key, sent as `X-Auth-Email` and `X-Auth-Key`.
  case apiKey(email: String, key: String)

  /// Credentials from the environment as Cloudflare's SDKs read them: `CLOUDFLARE_API_TOKEN`,
  /// else `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`, each trimmed of surrounding whitespace
  /// (contract §1); `nil` when neither is set (or set to whitespace only).
  public static func fromEnvironment(_ environment: [String: String]) -> Credentials? {
    if let token = environment["CLOUDFLARE_API_TOKEN"].map(trimmed), !token.isEmpty { return .apiToken(token) }
    if let email = environment["CLOUDFLARE_EMAIL"].map(trimmed), !email.isEmpty,
      let key = environment["CLOUDFLARE_API_KEY"].map(trimmed), !key.isEmpty
    {
      return .apiKey(email: email, key: key)
    }
    return nil
  }

  /// The same credentials with surrounding spaces, tabs, CR and LF removed from every value
  /// (contract §1: wherever a credential comes from, a pasted newline is not part of it).
  public var trimmed: Credentials {
    switch self {
    case .apiToken(let token): .apiToken(Self.trimmed(token))
    case .apiKey(let email, let key): .apiKey(email: Self.trimmed(email), key: Self.trimmed(key))
    }
  }

  /// What makes these credentials unsendable, or `nil` when they may be sent: an empty value, or
  /// a control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) that trimming left
  /// inside, which would corrupt or split an HTTP header. Names the header and the character,
  /// never the value (contract §1: such credentials are not sent; calls fail -32005).
  public var defect: String? {
    switch self {
    case .apiToken(let token): Self.defect(of: token, named: "the API token")
    case .apiKey(let email, let key):
      Self.defect(of: email, named: "the account email (X-Auth-Email)")
        ?? Self.defect(of: key, named: "the API key (X-Auth-Key)")
    }
  }

  /// The HTTP headers that carry these credentials.
  public var headers: [(name: String, value: String)] {
    switch self {
    case .apiToken(let token): [("Authorization", "Bearer \(token)")]
    case .apiKey(let email, let key): [("X-Auth-Email", email), ("X-Auth-Key", key)]
    }
  }

  /// The values that identify the account, so output can be checked (and scrubbed) for them:
  /// the token, or the email and the key.
  public var secrets: [String] {
    switch self {
    case .apiToken(let token): [token]
    case .apiKey(let email, let key): [key, email]
    }
  }

  public var description: String {
    switch self {
    case .apiToken: "API token (redacted)"
    case .apiKey: "API key (redacted)"
    }
  }

  public var debugDescription: String { description }

  private static func trimmed(_ text: String) -> String {
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
    let bytes = text.utf8
    guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(text[first...last])
  }

  private static func defect(of value: String, named name: String) -> String? {
    if value.isEmpty { return "\(name) is empty" }
    guard let control = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else {
      return nil
    }
    let code = String(control.value, radix: 16, uppercase: true)
    return "\(name) holds a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)) "
      + "inside it, so it was not sent"
  }
}
