import Diagnostics
import SystemSupport

/// The credentials the live backend sends, shared between the server (which may learn a token
/// from `initialize`) and the backend (which reads them on every attempt).
///
/// Every secret put here is registered with the logger's redactor, so it cannot reach a log line.
public final class CredentialStore: Sendable {
  private let state: Locked<Credentials?>

  public init(_ credentials: Credentials? = nil) {
    credentials.map(Self.register)
    state = Locked(credentials)
  }

  /// Credentials from `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`.
  public convenience init(environment: [String: String]) {
    self.init(Credentials.fromEnvironment(environment))
  }

  /// What the next attempt will send; `nil` means Radar calls fail without any traffic.
  public var credentials: Credentials? { state.withLock { $0 } }

  /// Replaces the credentials (for example with `initializationOptions.apiToken`).
  public func set(_ credentials: Credentials?) {
    credentials.map(Self.register)
    state.withLock { $0 = credentials }
  }

  private static func register(_ credentials: Credentials) {
    for secret in credentials.secrets { Logger.shared.registerSecret(secret) }
  }
}
