import Foundation
import JSON
import TestSupport
import Testing

/// A batch's array is an answer like any other at the end (contract §3, §4): a script that pipes a
/// one-call batch gets its array, before `shutdown`'s `null`, also when `exit` follows. The array
/// used to be queued after its last member counted as answered, and the end closed the output in
/// between now and then (about one run in twelve): each case is run many times.
@Suite struct BatchAnswerAtTheEndTests {
  static let runs = 60

  static func batch(_ run: Int) -> String {
    #"[{"jsonrpc":"2.0","id":1,"method":"radar.netflows.timeseriesGroups","#
      + #""params":{"dimension":"LOCATION","dateRange":"7d","name":"n\#(run)"}}]"# + "\n"
  }

  /// What each run wrote, in order: "batch" for an array, else the id.
  static func kinds(_ server: ServerProcess) -> [String] {
    server.messages.map { message in
      if let array = message.arrayValue { return array.first?["result"] != nil ? "batch" : "batch without result" }
      return message["id"].map { JSONWriter.string($0) } ?? "?"
    }
  }

  @Test func atEndOfInput() async throws {
    var wrong: [String] = []
    for run in 0..<Self.runs {
      let server = try ServerProcess.demo(["--no-shared-cache"])
      server.sendRaw(Self.batch(run))
      server.closeInput()
      #expect(await server.waitForExit() == 0)
      if Self.kinds(server) != ["batch"] { wrong.append("run \(run): \(Self.kinds(server))") }
    }
    #expect(wrong.isEmpty, "\(wrong.count) of \(Self.runs): \(wrong.prefix(5))")
  }

  @Test func beforeShutdownAndExit() async throws {
    var wrong: [String] = []
    for run in 0..<Self.runs {
      let server = try ServerProcess.demo(["--no-shared-cache"])
      server.sendRaw(
        Self.batch(run) + #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"# + "\n"
          + #"{"jsonrpc":"2.0","method":"exit"}"#
          + "\n")
      #expect(await server.waitForExit() == 0)
      if Self.kinds(server) != ["batch", "2"] { wrong.append("run \(run): \(Self.kinds(server))") }
    }
    #expect(wrong.isEmpty, "\(wrong.count) of \(Self.runs): \(wrong.prefix(5))")
  }
}
