import Foundation
import JSON
import Testing

/// A soak: tens of thousands of mixed requests through one server process, pipelined over NDJSON,
/// with its memory sampled from /proc.
///
/// The mix: valid demo Radar calls (a small pool of parameter sets: cache hits, misses and
/// coalesced callers), `server.stats`, invalid params, unknown methods, invalid request objects,
/// lines that are not JSON, batches with notifications inside, notifications alone, and requests
/// cancelled right after they are sent. Every request must be answered exactly once with the kind
/// it calls for (a cancelled one with its result or -32800, whichever wins); afterwards nothing is
/// in flight or queued, RSS grew less than 10% after warm-up, and end of input exits 0.
///
/// The suite runs 50,000 requests (~10 s in a debug build on 2 cores; 200,000 take ~38 s, most of
/// the reliability budget). `RADAR_SOAK_REQUESTS=200000` runs the full soak here, and `bench/run`
/// runs the same mix with 200,000 against the release binary (`bench/soak.py`, see bench/README.md).
@Suite("Reliability: soak")
struct ReliabilitySoakTests {
  static let requests = Int(ProcessInfo.processInfo.environment["RADAR_SOAK_REQUESTS"] ?? "") ?? 50_000
  static let warmup = requests / 3
  static let window = 128

  enum Expected: Equatable {
    case result
    case error(Int)
    case resultOrCancelled
  }

  struct Mix {
    var random: SeededRandom
    var nextID = 1
    let pool: [(String, JSONValue)]

    init(seed: UInt64) {
      random = SeededRandom(seed: seed)
      let methods: [(String, [String])] = [
        ("radar.netflows.timeseriesGroups", ["ADM1", "AS", "LOCATION", "PRODUCT"]),
        ("radar.ct.timeseriesGroups", ["CA", "CA_OWNER", "DURATION", "LOG", "TLD", "VALIDATION_LEVEL"]),
        ("radar.leakedCredentialChecks.timeseriesGroups", ["COMPROMISED", "BOT_CLASS"]),
      ]
      var pool: [(String, JSONValue)] = []
      for v in 0..<24 {
        let (method, dimensions) = methods[v % methods.count]
        let dimension = dimensions[v % dimensions.count]
        var params: JSONObject = [
          "dimension": .string(dimension), "dateRange": .string(["1d", "2d"][v % 2]), "aggInterval": "1h",
          "name": .string("v\(v)"),
        ]
        if ["AS", "LOCATION", "CA", "TLD"].contains(dimension) { params["limitPerGroup"] = .number(JSONNumber(3 + v % 3)) }
        pool.append((method, .object(params)))
      }
      self.pool = pool
    }

    private mutating func id() -> Int {
      defer { nextID += 1 }
      return nextID
    }

    private mutating func line(_ value: JSONValue) -> [UInt8] { JSONWriter.bytes(value) + [0x0A] }

    /// One message (or a request and its cancel): bytes, expectations by id, requests, answer frames.
    mutating func next(inBatch: Bool = false) -> (JSONValue?, [UInt8], [Int: Expected], Int, Int) {
      let r = Double.random(in: 0..<1, using: &random)
      func request(_ method: String, _ params: JSONValue?, _ expected: Expected) -> (
        JSONValue?, [UInt8], [Int: Expected], Int, Int
      ) {
        let n = id()
        var o: JSONObject = ["jsonrpc": "2.0", "id": .number(JSONNumber(n)), "method": .string(method)]
        if let params { o["params"] = params }
        return (.object(o), [], [n: expected], 1, 1)
      }
      let (method, params) = pool[Int(random.next() % UInt64(pool.count))]
      switch r {
      case ..<0.50: return request(method, params, .result)
      case ..<0.58: return request("server.stats", nil, .result)
      case ..<0.66:
        var bad = params.objectValue!
        bad["aggInterval"] = "2h"
        return request(method, .object(bad), .error(-32602))
      case ..<0.72: return request("radar.netflow.timeseriesGroup", nil, .error(-32601))
      case ..<0.77:
        let n = id()
        return (["jsonrpc": "1.0", "id": .number(JSONNumber(n)), "method": "server.stats"], [], [n: .error(-32600)], 1, 1)
      case ..<0.82:
        return (["jsonrpc": "2.0", "method": ["initialized", "$/setTrace", "x/unknown"][Int(random.next() % 3)]], [], [:], 0, 0)
      case ..<0.87 where !inBatch:
        return (nil, Array("{\"jsonrpc\":\"2.0\",\"id\":\(random.next() % 1000),\"method\":\n".utf8), [:], 0, 1)
      case ..<0.93 where !inBatch:
        var items: [JSONValue] = []
        var expected: [Int: Expected] = [:]
        var count = 0
        for _ in 0..<(2 + random.next() % 4) {
          let (value, _, e, c, _) = next(inBatch: true)
          if let value {
            items.append(value)
            expected.merge(e) { a, _ in a }
            count += c
          }
        }
        return (nil, line(.array(items)), expected, count, expected.isEmpty ? 0 : 1)
      default:
        if inBatch { return (["jsonrpc": "2.0", "method": "initialized"], [], [:], 0, 0) }
        let n = id()
        let bytes =
          line(["jsonrpc": "2.0", "id": .number(JSONNumber(n)), "method": .string(method), "params": params])
          + line(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .number(JSONNumber(n))]])
        return (nil, bytes, [n: .resultOrCancelled], 1, 1)
      }
    }

    /// The wire bytes of a message from ``next(inBatch:)``.
    mutating func bytes(_ value: JSONValue?, _ raw: [UInt8]) -> [UInt8] { value.map { line($0) } ?? raw }
  }

  @Test("mixed requests through one process: every answer once, no leak, bounded memory")
  func soak() async throws {
    let server = try LineServer(["--demo", "--framing", "ndjson", "--demo-latency", "1"])
    var mix = Mix(seed: 0x50A4)
    var expected: [Int: Expected] = [:]
    var unitsSent = 0
    var parseLines = 0
    var batches = 0
    var sent = 0
    var samples: [(Int, Int)] = []
    var nextSample = 2_500
    while sent < Self.requests {
      var chunk: [UInt8] = []
      var units = 0
      while units < 32, sent < Self.requests {
        let (value, raw, e, count, answers) = mix.next()
        chunk += mix.bytes(value, raw)
        if value == nil, e.isEmpty, answers == 1 { parseLines += 1 }
        if value == nil, !e.isEmpty, raw.first == UInt8(ascii: "[") { batches += 1 }
        expected.merge(e) { a, _ in a }
        sent += count
        units += answers
      }
      // At most `window` answer frames outstanding.
      #expect(server.waitForUnits(unitsSent + units - Self.window, timeout: 60), "the server stopped answering")
      server.send(chunk)
      unitsSent += units
      if sent >= nextSample {
        server.waitForUnits(unitsSent, timeout: 60)  // a quiet point: everything sent is answered
        samples.append((sent, procStatusKilobytes("VmRSS", pid: server.pid) ?? 0))
        nextSample += 2_500
      }
    }
    #expect(server.waitForUnits(unitsSent, timeout: 60), "not every request was answered")
    server.send(Array("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"server.stats\"}\n".utf8))
    server.waitForUnits(unitsSent + 1, timeout: 30)
    server.closeInput()
    #expect(server.waitForExit(timeout: 30) == 0, "end of input must exit 0")

    let tally = server.tally
    #expect(tally.badLines.isEmpty, "output that is not a JSON-RPC answer: \(tally.badLines.prefix(3))")
    let missing = expected.keys.filter { tally.answers[$0] == nil }
    let repeated = tally.answers.filter { $0.value.count != 1 }.map(\.key)
    let strangers = tally.answers.keys.filter { expected[$0] == nil }
    #expect(missing.isEmpty, "\(missing.count) requests never answered, e.g. \(missing.sorted().prefix(5))")
    #expect(repeated.isEmpty, "\(repeated.count) requests answered more than once, e.g. \(repeated.prefix(5))")
    #expect(strangers.isEmpty, "answers for ids never sent: \(strangers.prefix(5))")
    var wrong: [String] = []
    var cancelled = 0
    for (id, want) in expected {
      guard let got = tally.answers[id], got.count == 1 else { continue }
      switch (want, got[0]) {
      case (.result, .result), (.resultOrCancelled, .result): break
      case (.resultOrCancelled, .error(-32800)): cancelled += 1
      case (.error(let a), .error(let b)) where a == b: break
      default: wrong.append("\(id): expected \(want), got \(got[0])")
      }
    }
    #expect(wrong.isEmpty, "\(wrong.count) wrong answers, e.g. \(wrong.prefix(3))")
    #expect(cancelled > 0, "no cancellation won its race: the soak does not exercise cancellation")
    #expect(tally.nullErrors.count == parseLines && tally.nullErrors.allSatisfy { $0 == -32700 })
    #expect(tally.batchAnswers == batches)
    #expect(tally.finalStats?["inFlight"] == 0, "leaked requests: \(tally.finalStats.map(JSONWriter.string) ?? "-")")
    #expect(tally.finalStats?["queued"] == 0)

    let warm = samples.first { $0.0 >= Self.warmup }?.1 ?? 0
    let last = samples.last?.1 ?? 0
    #expect(warm > 0 && last > 0)
    let growth = Double(last - warm) / Double(max(warm, 1))
    #expect(growth < 0.10, "RSS grew \(Int(growth * 100))% after warm-up: \(samples.map { "\($0.0): \($0.1) kB" })")
  }
}
