import Foundation
import JSON
import TestSupport
import Testing

/// Contract §1: surrounding whitespace is trimmed from every credential, wherever it comes from;
/// one that still holds a control character is never sent, and Radar calls fail -32005 saying what
/// is wrong with it (not what it is).
@Suite struct CredentialHygieneTests {
  static let token = "hygiene-token-42"

  @Test func whitespaceAroundAnEnvironmentTokenIsTrimmed() async throws {
    let fake = try await FakeCloudflare.start(["--token", Self.token])
    let server = try fake.server(token: "\t \(Self.token) \r\n")
    let answer = await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"])
    #expect(answer?["result"] != nil, "\(String(describing: answer))")
    let sent = try #require(try await fake.requests().last)
    #expect(sent["headers"]?["authorization"] == .string("Bearer \(Self.token)"))
  }

  @Test func aControlCharacterInAnEnvironmentTokenIsRefusedWithoutTraffic() async throws {
    let fake = try await FakeCloudflare.start(["--token", Self.token])
    let server = try fake.server(token: "hygiene\u{7}token")
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32005)
    let message = error["message"]?.stringValue ?? ""
    #expect(message.contains("control character (U+0007)"), "\(message)")
    #expect(message.contains("CLOUDFLARE_API_TOKEN"))
    #expect(!message.contains("hygiene"))
    #expect(try await fake.total() == 0)
  }

  /// A token from `initialize` that would split the Authorization header is never sent.
  @Test func aHeaderSplittingTokenFromInitializeIsRefused() async throws {
    let fake = try await FakeCloudflare.start(["--token", Self.token])
    let server = try fake.server(token: nil)
    let initialize = await server.call(
      1, "initialize", ["initializationOptions": ["apiToken": .string("\(Self.token)\r\nX-Injected: yes")]])
    #expect(initialize?["result"] != nil)
    let error = try #require(await server.call(2, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32005)
    #expect(error["message"]?.stringValue?.contains("initializationOptions.apiToken") == true)
    #expect(error["message"]?.stringValue?.contains("U+000D") == true)
    #expect(try await fake.total() == 0)
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(!String(decoding: server.stdoutBytes, as: UTF8.self).contains(Self.token))
    #expect(!server.stderrText.contains(Self.token))
  }
}
