import Foundation
import TestSupport
import JSON
import Locking

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `Tests/Support/fake_cloudflare.py` as a child process on 127.0.0.1, with its control API.
///
/// Its stdin is a pipe we hold, so it exits when we close it (or when the test process dies);
/// stdout and stderr are drained on background threads, so a chatty fake cannot block.
final class FakeCloudflare: @unchecked Sendable {
  let port: Int
  private let process: Process
  private let stdin: FileHandle
  private let output = Locked<[UInt8]>([])
  private static let session = URLSession(configuration: .ephemeral)

  static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/fake_cloudflare.py")

  /// Starts a fake with `arguments` (`--token T`, `--latency-ms N`, `--no-auth`, …).
  static func start(_ arguments: [String] = ["--token", "test-token-123"]) async throws -> FakeCloudflare {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path] + arguments
    let pipes = try Spawn.run(process)
    let stdin = pipes.stdin, stdout = pipes.stdout, stderr = pipes.stderr
    let port: Int = try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        let reader = stdout
        var line: [UInt8] = []
        while let byte = try? reader.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
          line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) {
          continuation.resume(returning: port)
        } else {
          continuation.resume(throwing: FakeError(message: "fake_cloudflare did not print its port: '\(text)'"))
        }
        _ = try? reader.readToEnd()
      }
    }
    let fake = FakeCloudflare(port: port, process: process, stdin: stdin)
    Thread.detachNewThread { [fake] in
      let bytes = (try? stderr.readToEnd()) ?? Data()
      fake.output.withLock { $0.append(contentsOf: bytes) }
    }
    return fake
  }

  private init(port: Int, process: Process, stdin: FileHandle) {
    self.port = port
    self.process = process
    self.stdin = stdin
  }

  deinit { stop() }

  /// The base URL a backend should use.
  var baseURL: String { "http://127.0.0.1:\(port)/client/v4" }

  /// Ends the fake (closing its stdin is enough; SIGTERM makes sure).
  func stop() {
    try? stdin.close()
    if process.isRunning { process.terminate() }
  }

  /// What the fake wrote to stderr (once it has exited).
  var stderrText: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }

  // MARK: - Control API

  @discardableResult
  func control(_ name: String, _ body: JSONValue? = nil) async throws -> JSONValue {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/__control/\(name)")!)
    if let body {
      request.httpMethod = "POST"
      request.httpBody = Data(JSONWriter.bytes(body))
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, _) = try await Self.session.data(for: request)
    return try JSONParser.parse(Array(data))
  }

  /// Queues faults for `path` (below `/client/v4`), or for every path.
  func script(_ faults: [JSONValue], path: String? = nil) async throws {
    var body: JSONObject = ["responses": .array(faults)]
    if let path { body["path"] = .string(path) }
    try await control("script", .object(body))
  }

  func counters() async throws -> JSONValue { try await control("counters") }

  /// Requests the fake received: path, query, headers (lower-cased), clientPort.
  func requests() async throws -> [JSONValue] {
    try await control("requests")["requests"]?.arrayValue ?? []
  }

  var total: Int {
    get async throws { try await counters()["total"]?.intValue ?? -1 }
  }
}

struct FakeError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// A fault for ``FakeCloudflare/script(_:path:)``: `fault("status", ["status": 503])`.
func fault(_ kind: String, _ options: JSONObject = [:]) -> JSONValue {
  var object = options
  object["kind"] = .string(kind)
  return .object(object)
}
