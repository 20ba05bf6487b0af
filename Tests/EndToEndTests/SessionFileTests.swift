import Foundation
import JSON
import Testing

/// `radar-rpc --demo < protocol/examples/session.ndjson`, the way the project README runs it: a script
/// writes its whole session at once, `shutdown` and `exit` included, and must get every answer.
@Suite struct SessionFileTests {
  static let session = ServerProcess.repositoryRoot.appendingPathComponent("protocol/examples/session.ndjson")

  static func pipe(_ text: String, _ arguments: [String]) async throws -> ServerProcess {
    let server = try ServerProcess.demo(arguments)
    server.sendRaw(text)
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    return server
  }

  /// The session file is what the README says: initialize, initialized, a call, shutdown, exit.
  @Test func sessionFileShape() throws {
    let lines = try String(contentsOf: Self.session, encoding: .utf8).split(separator: "\n")
    let methods = lines.compactMap { (try? JSONParser.parse(String($0)))?["method"]?.stringValue }
    #expect(methods == ["initialize", "initialized", "radar.ct.timeseriesGroups", "shutdown", "exit"])
  }

  @Test
  func everyRequestOfAPipedSessionIsAnswered() async throws {
    let text = try String(contentsOf: Self.session, encoding: .utf8)
    for latency in ["0", "100"] {
      let server = try await Self.pipe(text, ["--demo-latency", latency])
      #expect(server.responses(1).first?["result"]?["backend"] == "demo")
      #expect(server.responses(2).first?["result"]?["meta"] != nil, "latency \(latency): the call was not answered")
      #expect(server.responses(3).first?["result"] == .null)
      #expect(server.messages.count == 3)
    }
  }

  /// The README's main command prints its answers in request order: `initialize` (a barrier),
  /// the query, then `shutdown`'s `null`, which comes after every answer to a request read before
  /// it (contract §4). Repeated, because on a race the order would only sometimes be wrong.
  @Test func theReadmeCommandAnswersInRequestOrder() async throws {
    let text = try String(contentsOf: Self.session, encoding: .utf8)
    for round in 0..<20 {
      let server = try await Self.pipe(text, ["--demo-latency", round % 2 == 0 ? "0" : "50"])
      #expect(server.messages.compactMap { $0["id"]?.intValue } == [1, 2, 3], "round \(round)")
    }
  }

  @Test
  func shutdownIsAnsweredWhenExitFollowsAtOnce() async throws {
    for _ in 0..<10 {
      let server = try await Self.pipe(
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}\n", [])
      #expect(server.responses(3).count == 1)
    }
  }

  /// Without `exit`, end of input drains: the same session minus its last line prints every answer.
  @Test func sessionWithoutExitIsAnsweredCompletely() async throws {
    let lines = try String(contentsOf: Self.session, encoding: .utf8).split(separator: "\n").dropLast()
    let server = try await Self.pipe(lines.joined(separator: "\n") + "\n", ["--demo-latency", "100"])
    #expect(server.responses(2).first?["result"]?["meta"] != nil)
    #expect(server.responses(3).count == 1)
  }
}
