import Diagnostics
import Testing

@testable import Radar

@Suite struct BaseURLTests {
  @Test func defaultsToCloudflare() throws {
    #expect(BaseURL.cloudflare.string == "https://api.cloudflare.com/client/v4")
    #expect(try BaseURL.resolve(argument: nil, environment: [:]) == .cloudflare)
    #expect(try BaseURL("https://api.cloudflare.com/client/v4/") == .cloudflare)
  }

  @Test func theArgumentWinsOverTheEnvironment() throws {
    let environment = ["CLOUDFLARE_BASE_URL": "https://env.example/v4"]
    #expect(try BaseURL.resolve(argument: nil, environment: environment).string == "https://env.example/v4")
    #expect(
      try BaseURL.resolve(argument: "https://arg.example", environment: environment).string == "https://arg.example")
  }

  @Test func acceptsHTTPSAnywhereAndHTTPOnlyToLoopback() throws {
    for text in [
      "https://example.com/client/v4", "http://127.0.0.1:8080/client/v4", "http://127.200.3.4", "http://localhost:9",
      "http://LOCALHOST", "http://[::1]:8080/x", "http://[0:0:0:0:0:0:0:1]", "http://[::ffff:127.0.0.1]:80",
    ] {
      #expect(throws: Never.self, "\(text)") { try BaseURL(text) }
    }
  }

  @Test func refusesPlainHTTPToAnyOtherHost() {
    for (text, host) in [
      ("http://api.cloudflare.com/client/v4", "api.cloudflare.com"), ("http://10.0.0.1", "10.0.0.1"),
      ("http://127.0.0.1.nip.io", "127.0.0.1.nip.io"), ("http://localhost.example.com", "localhost.example.com"),
      ("http://128.0.0.1", "128.0.0.1"), ("http://[::2]", "::2"), ("http://0.0.0.0", "0.0.0.0"),
    ] {
      #expect(throws: BaseURLError.insecure(host: host), "\(text)") { try BaseURL(text) }
    }
  }

  @Test func refusesOtherSchemesUserInfoQueriesAndJunk() {
    #expect(throws: BaseURLError.unsupportedScheme("ftp")) { try BaseURL("ftp://example.com") }
    #expect(throws: BaseURLError.containsCredentials) { try BaseURL("https://user:hunter2@example.com") }
    #expect(!BaseURLError.containsCredentials.description.contains("hunter2"))
    #expect(throws: BaseURLError.hasQueryOrFragment) { try BaseURL("https://example.com/v4?x=1") }
    #expect(throws: BaseURLError.hasQueryOrFragment) { try BaseURL("https://example.com/v4#top") }
    for junk in ["", "not a url", "/client/v4", "https://"] {
      #expect(throws: BaseURLError.malformed, "\(junk)") { try BaseURL(junk) }
    }
  }

  @Test func originsCompareSchemeHostAndPort() throws {
    let base = try BaseURL("http://127.0.0.1:8080/client/v4")
    #expect(base.origin == URLOrigin(scheme: "http", host: "127.0.0.1", port: 8080))
    #expect(BaseURL.cloudflare.origin == URLOrigin(scheme: "https", host: "api.cloudflare.com", port: 443))
  }
}

/// The name the shared cache and rate budget give an upstream (adversary finding 12: five
/// spellings of one upstream made five budgets and five upstream calls).
@Suite struct BaseURLSharedNameTests {
  @Test(arguments: [
    "https://api.cloudflare.com/client/v4", "https://api.cloudflare.com/client/v4/",
    "HTTPS://API.Cloudflare.COM/client/v4",
    "https://api.cloudflare.com:443/client/v4", "https://api.cloudflare.com/client/v4/.",
    "https://api.cloudflare.com/client/./v4//", "https://api.cloudflare.com/client/x/../v4",
  ])
  func spellingsOfOneUpstreamHaveOneName(_ spelling: String) throws {
    #expect(try BaseURL(spelling).sharedName == "https://api.cloudflare.com:443/client/v4")
  }

  @Test func otherUpstreamsHaveOtherNames() throws {
    let names = try [
      "https://api.cloudflare.com/client/v4", "https://api.cloudflare.com:8443/client/v4",
      "https://api.cloudflare.com/client/v5", "https://api.cloudflare.com/Client/v4", "http://127.0.0.1:8080/client/v4",
      "http://localhost:8080/client/v4", "http://[::1]:8080/client/v4", "http://127.0.0.1:8080",
    ].map { try BaseURL($0).sharedName }
    #expect(Set(names).count == names.count)
    #expect(names[6] == "http://[::1]:8080/client/v4" && names[7] == "http://127.0.0.1:8080")
  }
}
