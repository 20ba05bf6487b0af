import Diagnostics
import Radar
import SystemSupport

/// The one "no Cloudflare credentials" warning of a live server, said at most once and only when
/// it is known to be true (contract §4): after `initialize` brought no `apiToken`, or at the first
/// Radar method called without credentials, never at start-up, before the server has seen whether
/// `initialize` brings a token (a notebook or an editor passes it there, and would otherwise show
/// a spurious warning on every start).
final class MissingCredentialsWarning: Sendable {
  private let store: CredentialStore
  private let said = Locked(false)

  init(store: CredentialStore) { self.store = store }

  /// Warns if there are no credentials now (once per process); `moment` says when, for the log.
  func check(_ moment: @autoclosure () -> String) {
    guard store.credentials == nil else { return }
    let first = said.withLock { said -> Bool in
      defer { said = true }
      return !said
    }
    guard first else { return }
    Logger.shared.warn(
      "no Cloudflare credentials \(moment()): Radar methods fail with -32005 until a token is set "
        + "(CLOUDFLARE_API_TOKEN, or initializationOptions.apiToken); use --demo to try radar-rpc without one")
  }
}
