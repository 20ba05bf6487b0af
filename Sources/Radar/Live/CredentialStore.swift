import Diagnostics
import SystemSupport

/// The credentials the live backend sends, shared between the server (which may learn a token
/// from `initialize`) and the backend (which reads them on every attempt).
///
/// Credentials are trimmed of surrounding whitespace when they are stored (contract §1). Every
/// value ever stored stays known as a secret: it is registered with the logger's redactor, and
/// ``secrets`` hands it to the redaction of upstream text, so an upstream that echoes an earlier
/// token back still cannot put it into a frame.
public final class CredentialStore: Sendable {
  private struct State {
    var current: Credentials?
    /// Where `current` came from, for error messages (`CLOUDFLARE_API_TOKEN`, …).
    var source = ""
    var secrets: [String] = []
  }

  private let state = Locked(State())

  /// - Parameters:
  ///   - credentials: the initial credentials, trimmed here.
  ///   - source: where they came from, named in the error when they cannot be sent.
  public init(_ credentials: Credentials? = nil, source: String = "the server's configuration") {
    set(credentials, source: source)
  }

  /// Credentials from `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`.
  public convenience init(environment: [String: String]) {
    let credentials = Credentials.fromEnvironment(environment)
    let source =
      switch credentials {
      case .apiKey?: "CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"
      default: "CLOUDFLARE_API_TOKEN"
      }
    self.init(credentials, source: source)
  }

  /// What the next attempt will send (trimmed); `nil` means Radar calls fail without any traffic.
  public var credentials: Credentials? { state.withLock { $0.current } }

  /// The most credential values remembered for redaction: a client that sends `initialize` with a
  /// new token again and again cannot grow memory or the cost of redaction without bound.
  public static let mostSecrets = 64

  /// The credential values stored so far, the current ones included (at most the last
  /// ``mostSecrets``), for redaction.
  public var secrets: [String] { state.withLock { $0.secrets } }

  /// Replaces the credentials (for example with `initializationOptions.apiToken`), trimmed.
  /// - Parameter source: where they came from, named in the error when they cannot be sent.
  public func set(_ credentials: Credentials?, source: String) {
    let trimmed = credentials?.trimmed
    for secret in trimmed?.secrets ?? [] where !secret.isEmpty { Logger.shared.registerSecret(secret) }
    state.withLock { state in
      state.current = trimmed
      state.source = source
      for secret in trimmed?.secrets ?? [] where !secret.isEmpty && !state.secrets.contains(secret) {
        if state.secrets.count == Self.mostSecrets { state.secrets.removeFirst() }
        state.secrets.append(secret)
      }
    }
  }

  /// The credentials to send now.
  /// - Throws: ``RadarError/unauthorized(httpStatus:errors:)`` without a status when there are
  ///   none, ``RadarError/unusableCredentials(reason:)`` when they hold a control character.
  public func sendable() throws(RadarError) -> Credentials {
    let (current, source) = state.withLock { ($0.current, $0.source) }
    guard let current else { throw .unauthorized(httpStatus: nil, errors: []) }
    if let defect = current.defect { throw .unusableCredentials(reason: "\(defect) (from \(source))") }
    return current
  }
}
