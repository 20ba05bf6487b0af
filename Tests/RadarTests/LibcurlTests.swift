import Testing

@testable import Radar

/// Loading the system's libcurl on the first live request (Sources/CCurl, ``Libcurl``).
@Suite struct LibcurlTests {
  @Test func aMissingLibraryIsAClearUnavailableError() {
    let result = Libcurl.load(candidates: ["/nonexistent/libcurl.so.4"])
    guard case .failure(.unavailable(let reason)) = result else {
      Issue.record("expected a failure, got \(result)")
      return
    }
    #expect(reason.contains("/nonexistent/libcurl.so.4"))
    #expect(reason.contains("RADAR_RPC_LIBCURL"))
    #expect(reason.contains("--demo"))
  }

  @Test func aLibraryThatIsNotLibcurlIsRefused() {
    // The C library loads, but has no curl_version_info.
    guard case .failure(.unavailable(let reason)) = Libcurl.load(candidates: ["libc.so.6"]) else {
      Issue.record("libc.so.6 was taken for libcurl")
      return
    }
    #expect(reason.contains("curl_version_info"))
  }

  @Test func theSystemLibcurlLoadsOnce() throws {
    let version = try Libcurl.load(environment: [:]).get()
    #expect(version.first?.isNumber == true)
    #expect(try Libcurl.load(environment: ["RADAR_RPC_LIBCURL": "/nonexistent"]).get() == version)
  }

  @Test func anExplicitLocationIsTheOnlyOneTried() {
    #expect(Libcurl.candidates(environment: ["RADAR_RPC_LIBCURL": "/opt/x/libcurl.so"]) == ["/opt/x/libcurl.so"])
    #expect(Libcurl.candidates(environment: ["RADAR_RPC_LIBCURL": ""]) == Libcurl.defaultCandidates)
  }

  @Test func failureReasonsAreOurOwnWords() {
    #expect(Libcurl.reason(for: 7) == "connection refused")
    #expect(Libcurl.reason(for: 28) == "timed out")
    #expect(Libcurl.reason(for: 60) == "TLS certificate verification failed")
    #expect(Libcurl.reason(for: 18) == "connection closed before the whole body arrived")
  }
}
