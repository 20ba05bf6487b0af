import Testing

@testable import Radar

@Suite struct HTTPLibraryTests {
  @Test func aMissingPluginIsAClearUnavailableError() {
    let result = HTTPLibrary.load(candidates: ["/nonexistent/\(HTTPLibrary.fileName)"])
    guard case .failure(.unavailable(let reason)) = result else {
      Issue.record("expected a failure, got \(result)")
      return
    }
    #expect(reason.contains("/nonexistent/\(HTTPLibrary.fileName)"))
    #expect(reason.contains("RADAR_RPC_HTTP_LIBRARY"))
  }

  @Test func theBuiltPluginIsFoundBesideTheExecutable() {
    // `swift build` puts libRadarHTTP next to the test runner, as next to radar-rpc.
    let candidates = HTTPLibrary.candidates(environment: [:])
    #expect(candidates.count == 1)
    guard case .success = HTTPLibrary.load(candidates: candidates) else {
      Issue.record("the plug-in was not found at \(candidates)")
      return
    }
  }

  @Test func anExplicitLocationIsTheOnlyOneTried() {
    let candidates = HTTPLibrary.candidates(environment: ["RADAR_RPC_HTTP_LIBRARY": "/opt/x/libRadarHTTP.so"])
    #expect(candidates == ["/opt/x/libRadarHTTP.so"])
  }
}
