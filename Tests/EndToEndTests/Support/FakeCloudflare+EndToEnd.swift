import JSON
import TestSupport

extension FakeCloudflare {
  static let token = "e2e-secret-token-5f0c1a"

  /// A fake that accepts only ``token``.
  static func start() async throws -> FakeCloudflare { try await start(["--token", token]) }

  /// `radar-rpc` in live mode against this fake, with the token in the environment (unless `token` is nil).
  func server(
    _ arguments: [String] = [], token: String? = FakeCloudflare.token, framing: ServerProcess.Framing = .ndjson
  )
    throws -> ServerProcess
  {
    var environment: [String: String] = [:]
    if let token { environment["CLOUDFLARE_API_TOKEN"] = token }
    return try ServerProcess(
      ["--base-url", baseURL, "--framing", framing == .lsp ? "lsp" : "ndjson"] + arguments, framing: framing,
      environment: environment)
  }

  /// What the fake itself answers for `pathAndQuery` below `/client/v4`, with the right token.
  func directly(_ pathAndQuery: String) async throws -> JSONValue {
    try await directly(pathAndQuery, token: Self.token)
  }

  /// Changes the data every later answer carries.
  func bumpVersion() async throws { try await control("version", [:]) }
}
