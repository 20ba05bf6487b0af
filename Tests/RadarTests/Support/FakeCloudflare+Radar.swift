import TestSupport

extension FakeCloudflare {
  /// A fake that accepts only `test-token-123`, the token the Radar-layer tests send.
  static func start() async throws -> FakeCloudflare { try await start(["--token", "test-token-123"]) }
}
