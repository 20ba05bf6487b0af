/// Cloudflare API credentials. Never printed: `description` is redacted, so a credential cannot
/// reach a log line, an error message or a stats answer by accident.
public enum Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  /// An API token, sent as `Authorization: Bearer …`.
  case apiToken(String)
  /// A Global API key, sent as `X-Auth-Email` and `X-Auth-Key`.
  case apiKey(email: String, key: String)

  /// Credentials from the environment as Cloudflare's SDKs read them: `CLOUDFLARE_API_TOKEN`,
  /// else `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`; `nil` when neither is set (or set empty).
  public static func fromEnvironment(_ environment: [String: String]) -> Credentials? {
    if let token = environment["CLOUDFLARE_API_TOKEN"], !token.isEmpty { return .apiToken(token) }
    if let email = environment["CLOUDFLARE_EMAIL"], !email.isEmpty,
      let key = environment["CLOUDFLARE_API_KEY"], !key.isEmpty
    {
      return .apiKey(email: email, key: key)
    }
    return nil
  }

  /// The HTTP headers that carry these credentials.
  public var headers: [(name: String, value: String)] {
    switch self {
    case .apiToken(let token): [("Authorization", "Bearer \(token)")]
    case .apiKey(let email, let key): [("X-Auth-Email", email), ("X-Auth-Key", key)]
    }
  }

  /// The secret strings, so output can be checked (and scrubbed) for them.
  public var secrets: [String] {
    switch self {
    case .apiToken(let token): [token]
    case .apiKey(_, let key): [key]
    }
  }

  public var description: String {
    switch self {
    case .apiToken: "API token (redacted)"
    case .apiKey: "API key (redacted)"
    }
  }

  public var debugDescription: String { description }
}
