import Diagnostics
import Testing

@testable import Radar

@Suite struct CredentialStoreTests {
  @Test func readsTheEnvironmentAndRegistersSecretsForRedaction() {
    let store = CredentialStore(environment: ["CLOUDFLARE_API_TOKEN": "store-token-abc123"])
    #expect(store.credentials == .apiToken("store-token-abc123"))
    #expect(Logger.shared.redact("Bearer store-token-abc123") == "Bearer [REDACTED]")
    store.set(.apiKey(email: "a@example.com", key: "store-key-xyz789"), source: "a test")
    #expect(Logger.shared.redact("key=store-key-xyz789") == "key=[REDACTED]")
    store.set(nil, source: "a test")
    #expect(store.credentials == nil)
    #expect(CredentialStore(environment: [:]).credentials == nil)
    // Every value ever stored stays known, for redacting upstream echoes of an earlier token.
    #expect(store.secrets == ["store-token-abc123", "store-key-xyz789", "a@example.com"])
  }

  /// Surrounding spaces, tabs, CR and LF are not part of a credential, wherever it comes from (contract §1).
  @Test func credentialsAreTrimmedWhereverTheyComeFrom() throws {
    let env = CredentialStore(environment: ["CLOUDFLARE_API_TOKEN": " \t tok-trim-1\r\n"])
    #expect(env.credentials == .apiToken("tok-trim-1"))
    #expect(try env.sendable().headers.first?.value == "Bearer tok-trim-1")
    let key = CredentialStore(environment: ["CLOUDFLARE_EMAIL": "a@example.com\n", "CLOUDFLARE_API_KEY": "\tkey-1 "])
    #expect(key.credentials == .apiKey(email: "a@example.com", key: "key-1"))
    #expect(CredentialStore(environment: ["CLOUDFLARE_API_TOKEN": " \r\n\t"]).credentials == nil)
    let later = CredentialStore()
    later.set(.apiToken("tok-from-initialize\n"), source: "initializationOptions.apiToken")
    #expect(later.credentials == .apiToken("tok-from-initialize"))
  }

  /// A control character left inside is never sent: a clear reason instead, naming the source
  /// and the character but not the value.
  @Test func credentialsWithControlCharactersAreRefused() {
    for (raw, character) in [
      ("zq\r\nX-Evil: 1", "U+000D"), ("zq\u{0}zw", "U+0000"), ("zq\u{7F}zw", "U+007F"),
      ("zq\u{85}zw", "U+0085"), ("zq\tzw", "U+0009"),
    ] {
      let store = CredentialStore()
      store.set(.apiToken(raw), source: "initializationOptions.apiToken")
      #expect(throws: RadarError.self) { try store.sendable() }
      do {
        _ = try store.sendable()
      } catch {
        guard case .unusableCredentials(let reason) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(reason.contains(character), "\(reason)")
        #expect(reason.contains("initializationOptions.apiToken"))
        #expect(!reason.contains("zq") && !reason.contains("zw") && !reason.contains("Evil"))
      }
    }
    let key = CredentialStore(environment: ["CLOUDFLARE_EMAIL": "a@exa\u{1}mple.com", "CLOUDFLARE_API_KEY": "k-1"])
    #expect(
      throws: RadarError.unusableCredentials(
        reason: "the account email (X-Auth-Email) holds a control character (U+0001) inside it, so it was not sent "
          + "(from CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY)")
    ) { try key.sendable() }
    #expect(throws: RadarError.unauthorized(httpStatus: nil, errors: [])) { try CredentialStore().sendable() }
  }
}

@Suite struct CredentialStoreBoundTests {
  /// Many tokens from `initialize` keep the remembered secrets bounded, the newest kept.
  @Test func rememberedSecretsAreBounded() {
    let store = CredentialStore()
    for n in 0..<(CredentialStore.mostSecrets * 3) { store.set(.apiToken("bound-token-\(n)"), source: "a test") }
    #expect(store.secrets.count == CredentialStore.mostSecrets)
    #expect(store.secrets.last == "bound-token-\(CredentialStore.mostSecrets * 3 - 1)")
    #expect(store.credentials == .apiToken("bound-token-\(CredentialStore.mostSecrets * 3 - 1)"))
  }
}
