import Foundation
import JSON
import TestSupport
import Testing

/// Contract §8 and §4 under any interleaving: each race is run `repetitions` times per framing
/// through one server process (all the races piped at once, so the server's reader, its request
/// tasks and its writer really do race), and the invariant is checked for every repetition.
@Suite(.serialized) struct OrderingStressTests {
  static let repetitions = 500
  static let framings: [ServerProcess.Framing] = [.ndjson, .lsp]

  // MARK: - Cancel right after a request with a workDoneToken and a partialResultToken

  /// Request `i` carries workDoneToken `w<i>` and partialResultToken `p<i>`, and is followed at
  /// once by its cancellation: `$/cancelRequest` for even `i`, `window/workDoneProgress/cancel`
  /// for odd `i` (what an editor's progress UI sends).
  static func sendCancelRaces(_ server: ServerProcess, params: (Int) -> JSONObject) {
    var text = ""
    for i in 0..<repetitions {
      var p = params(i)
      p["workDoneToken"] = .string("w\(i)")
      p["partialResultToken"] = .string("p\(i)")
      let method = p.removeValue(forKey: "method")?.stringValue ?? "radar.netflows.timeseriesGroups"
      text += server.frame([
        "jsonrpc": "2.0", "id": .number(JSONNumber(i)), "method": .string(method), "params": .object(p),
      ])
      let cancel: JSONValue =
        i % 2 == 0
        ? ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .number(JSONNumber(i))]]
        : ["jsonrpc": "2.0", "method": "window/workDoneProgress/cancel", "params": ["token": .string("w\(i)")]]
      text += server.frame(cancel)
    }
    server.sendRaw(text)
  }

  /// Everything the server wrote for request `i`, in order: work-done kinds (`begin`, `report`,
  /// `end`), `partial`, and `response`.
  struct Transcript {
    var events: [String] = []
    var response: JSONValue? = nil
    var responses = 0
  }

  static func transcripts(_ messages: [JSONValue]) -> [Int: Transcript] {
    var all: [Int: Transcript] = [:]
    for message in messages {
      if message["method"] == "$/progress", let token = message["params"]?["token"]?.stringValue,
        let i = Int(token.dropFirst())
      {
        let event = token.hasPrefix("w") ? (message["params"]?["value"]?["kind"]?.stringValue ?? "?") : "partial"
        all[i, default: Transcript()].events.append(event)
      } else if message["method"] == nil, let i = message["id"]?.intValue {
        all[i, default: Transcript()].events.append("response")
        all[i, default: Transcript()].response = message
        all[i, default: Transcript()].responses += 1
      }
    }
    return all
  }

  /// §8: one response, last; work-done notifications are none or `begin`, `report`s, `end`; a
  /// success streamed every series before it and `end`ed its progress.
  static func violation(_ t: Transcript?, _ i: Int) -> String? {
    guard let t else { return "request \(i): nothing written" }
    guard t.responses == 1 else { return "request \(i): \(t.responses) responses: \(t.events)" }
    guard t.events.last == "response" else { return "request \(i): written after its response: \(t.events)" }
    let work = t.events.filter { $0 != "partial" && $0 != "response" }
    if !work.isEmpty {
      let middle = work.dropFirst().dropLast()
      guard work.first == "begin", work.last == "end", work.count >= 2, middle.allSatisfy({ $0 == "report" }) else {
        return "request \(i): work-done progress \(work) (all: \(t.events))"
      }
    }
    if let result = t.response?["result"] {
      guard work.first == "begin" else { return "request \(i): answered without begin/end: \(t.events)" }
      guard result.objectValue?.keys.sorted() == ["meta"], t.events.contains("partial") else {
        return "request \(i): partial results missing: \(t.events)"
      }
    } else if let code = t.response?.errorCode, code != -32800 {
      return "request \(i): error \(code): \(t.response.map { JSONWriter.string($0) } ?? "")"
    }
    return nil
  }

  static func checkCancelRaces(_ server: ServerProcess, label: String) async {
    server.closeInput()
    #expect(await server.waitForExit(timeout: .seconds(300)) == 0, "\(label): exit")
    #expect(server.parseFailures.isEmpty, "\(label): unparsable output")
    let all = Self.transcripts(server.messages)
    var failures: [String] = []
    var cancelled = 0
    for i in 0..<repetitions {
      if let problem = Self.violation(all[i], i) { failures.append(problem) }
      if all[i]?.response?.errorCode == -32800 { cancelled += 1 }
    }
    #expect(
      failures.isEmpty, "\(label): \(failures.count) of \(repetitions) races broke §8, e.g. \(failures.prefix(5))")
    // The race is real: most requests were cancelled in flight (not all finished first).
    #expect(cancelled > repetitions / 2, "\(label): only \(cancelled) cancelled")
  }

  /// Demo backend with latency: the cancel lands while the request waits, starts, or streams.
  @Test(arguments: framings, ["0", "20"])
  func cancelRightAfterAProgressRequestDemo(_ framing: ServerProcess.Framing, latency: String) async throws {
    let server = try ServerProcess.demo(["--demo-latency", latency, "--cache-ttl", "0"], framing: framing)
    Self.sendCancelRaces(server) { i in
      [
        "dimension": i < 364 ? "PRODUCT" : "LOCATION",
        "dateRange": .array([.string("\(i % 364 + 1)d"), .string("\(i % 364 + 1)d")]),
        "name": ["a", "b"], "aggInterval": "1w",
      ]
    }
    await Self.checkCancelRaces(server, label: "demo \(framing) latency \(latency)")
  }

  /// Live backend against the fake: the cancel lands while the HTTP call waits for a connection
  /// or for the answer.
  @Test(arguments: framings)
  func cancelRightAfterAProgressRequestLive(_ framing: ServerProcess.Framing) async throws {
    let fake = try await FakeCloudflare.start(["--token", FakeCloudflare.token, "--latency-ms", "5"])
    let server = try fake.server(["--cache-ttl", "0"], framing: framing)
    Self.sendCancelRaces(server) { i in
      [
        "method": "radar.ct.timeseriesGroups", "dimension": "CA", "dateRange": "1d", "aggInterval": "1h",
        "name": [.string("a\(i)"), .string("b\(i)")],
      ]
    }
    await Self.checkCancelRaces(server, label: "live \(framing)")
  }

  // MARK: - Subscribe, then cancel at once

  /// A subscribe cancelled before its answer leaves no subscription and no poller; one answered
  /// before the cancel arrived is a live subscription the client knows (and ends here).
  @Test(arguments: framings, ["demo", "live"])
  func subscribeThenCancelAtOnce(_ framing: ServerProcess.Framing, backend: String) async throws {
    let fake =
      backend == "live" ? try await FakeCloudflare.start(["--token", FakeCloudflare.token, "--latency-ms", "5"]) : nil
    let server =
      try fake?.server(["--max-subscriptions", "1000"], framing: framing)
      ?? ServerProcess.demo(["--max-subscriptions", "1000"], framing: framing)
    var text = ""
    for i in 0..<Self.repetitions {
      let params: JSONValue = [
        "method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA", "dateRange": "1d"], "intervalSeconds": 1,
      ]
      text += server.frame([
        "jsonrpc": "2.0", "id": .number(JSONNumber(i)), "method": "radar.subscribe", "params": params,
      ])
      text += server.frame(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .number(JSONNumber(i))]])
    }
    server.sendRaw(text)
    #expect(
      await server.waitFor(timeout: .seconds(300)) { _ in
        (0..<Self.repetitions).allSatisfy { !server.responses(.number(JSONNumber($0))).isEmpty }
      })
    var known: [JSONValue] = []
    var failures: [String] = []
    for i in 0..<Self.repetitions {
      let answers = server.responses(.number(JSONNumber(i)))
      if answers.count != 1 { failures.append("subscribe \(i): \(answers.count) answers") }
      if let id = answers.first?["result"]?["subscription"] {
        known.append(id)
      } else if answers.first?.errorCode != -32800 {
        failures.append("subscribe \(i): \(answers.first.map { JSONWriter.string($0) } ?? "")")
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(5))")
    #expect(
      known.count < Self.repetitions / 2, "only \(Self.repetitions - known.count) subscribes were cancelled in flight")
    // Updates of a subscription only after its answer; none for a cancelled one.
    let messages = server.messages
    for update in messages.indices where messages[update]["method"] == "radar/update" {
      let id = messages[update]["params"]?["subscription"]
      let answer = messages.firstIndex { $0["result"]?["subscription"] == id }
      #expect(
        answer.map { $0 < update } == true, "radar/update for \(String(describing: id)) before or without its answer")
    }
    // Every cancelled subscribe removes its subscription as its handler unwinds (after its -32800
    // is out): the count comes down to the subscriptions the client knows, and a leaked one would
    // hold it above for good.
    var round = 0
    var subscriptions: Int? = nil
    let settled = await waitUntil(timeout: .seconds(120)) {
      round += 1
      subscriptions = await server.call(.string("stats\(round)"), "server.stats")?["result"]?["subscriptions"]?.intValue
      return subscriptions == known.count
    }
    #expect(
      settled,
      "cancelled subscribes left subscriptions behind: \(String(describing: subscriptions)), \(known.count) known")
    for (k, id) in known.enumerated() {
      #expect(await server.call(.string("u\(k)"), "radar.unsubscribe", ["subscription": id])?["result"] == true)
    }
    let after = await server.call("stats-after", "server.stats")?["result"]
    #expect(after?["subscriptions"] == 0)
    #expect(after?["pollers"] == 0, "a poller outlived its subscriptions: \(String(describing: after))")
  }

  // MARK: - initialize with a token, then a call

  /// §4: a call piped right behind an `initialize` that carries `initializationOptions.apiToken`
  /// uses that token, always. No token in the environment; each write is an `initialize` with a
  /// new token followed at once by calls (500 calls per framing, 5 behind each `initialize`, so
  /// the test makes a fifth of the round trips), and the fake's request log shows which token
  /// each call carried. The next `initialize` goes out once the calls before it are answered.
  @Test(arguments: framings)
  func initializeWithATokenThenACall(_ framing: ServerProcess.Framing) async throws {
    let fake = try await FakeCloudflare.start([])  // any non-empty credentials pass; none is 400 9106
    let server = try fake.server(["--cache-ttl", "0"], token: nil, framing: framing)
    let callsPerInitialize = 5
    let checkEvery = 100  // the fake keeps its last 256 requests
    var failures: [String] = []
    func token(_ call: Int) -> String { "tok-INIT-\(call / callsPerInitialize)" }
    for first in stride(from: 0, to: Self.repetitions, by: checkEvery) {
      for batch in stride(from: first, to: first + checkEvery, by: callsPerInitialize) {
        var text = server.frame([
          "jsonrpc": "2.0", "id": .string("init\(batch)"), "method": "initialize",
          "params": ["initializationOptions": ["apiToken": .string(token(batch))]],
        ])
        for i in batch..<(batch + callsPerInitialize) {
          text += server.frame([
            "jsonrpc": "2.0", "id": .number(JSONNumber(i)), "method": "radar.ct.timeseriesGroups",
            "params": ["dimension": "CA", "dateRange": "1d", "aggInterval": "1h", "name": .string("c\(i)")],
          ])
        }
        server.sendRaw(text)
        for i in batch..<(batch + callsPerInitialize) {
          let answer = await server.response(.number(JSONNumber(i)), timeout: .seconds(120))
          if answer?["result"]?["meta"] == nil {
            failures.append("call \(i): \(answer.map { JSONWriter.string($0) } ?? "no answer")")
          }
        }
      }
      let log = try await fake.requests()
      for i in first..<(first + checkEvery) {
        let path = "/radar/ct/timeseries_groups/CA"
        let query = "name=c\(i)"
        let sent = log.filter {
          $0["path"]?.stringValue == path
            && $0["query"]?.stringValue?.split(separator: "&").contains(Substring(query)) == true
        }
        let tokens = sent.map { $0["headers"]?["authorization"]?.stringValue ?? "none" }
        if tokens != ["Bearer \(token(i))"] { failures.append("call \(i) went out with \(tokens)") }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) of \(Self.repetitions) calls: \(failures.prefix(5))")
  }
}
