public import Foundation
public import JSON
import SystemSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `Tests/Support/fake_cloudflare.py` as a child process on 127.0.0.1, with its control API: the
/// one wrapper every test target that needs a Cloudflare upstream uses.
///
/// Its stdin is a pipe held here, so it exits when ``stop()`` closes it (or when the test process
/// dies); its stdout and stderr are drained on their own threads, so a chatty fake cannot block.
public final class FakeCloudflare: Sendable {
  public let port: Int
  private let process: ChildProcess
  private let stdin: FileHandle
  private let stderr = Locked<[UInt8]>([])
  private static let session = URLSession(configuration: .ephemeral)

  /// The fake's script, found from this file's place in the repository.
  public static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Support/fake_cloudflare.py")

  /// Starts a fake with `arguments` (`--token T`, `--latency-ms N`, `--no-auth`, …) and waits for
  /// its port. Blocks the calling thread: from async code use ``start(_:)``.
  public init(_ arguments: [String]) throws {
    let process = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.script.path] + arguments)
    let pipes = process
    let text = String(decoding: pipes.stdout.readLine(), as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      process.terminate()
      throw FakeError(message: "fake_cloudflare did not print its port: '\(text)'")
    }
    self.port = port
    self.process = process
    self.stdin = pipes.stdin
    Thread.detachNewThread { _ = pipes.stdout.readAll() }
    Thread.detachNewThread { [stderr] in
      let bytes = pipes.stderr.readAll()
      stderr.withLock { $0.append(contentsOf: bytes) }
    }
  }

  /// Starts a fake on a thread of its own, so waiting for its port never holds a thread of
  /// Swift's shared pool (tests run in parallel on 2 cores).
  public static func start(_ arguments: [String]) async throws -> FakeCloudflare {
    try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread { continuation.resume(with: Result { try FakeCloudflare(arguments) }) }
    }
  }

  deinit { stop() }

  /// The base URL a backend (or `radar-rpc --base-url`) should use.
  public var baseURL: String { "http://127.0.0.1:\(port)/client/v4" }

  /// Ends the fake (closing its stdin is enough; SIGTERM makes sure).
  public func stop() {
    try? stdin.close()
    if process.isRunning { process.terminate() }
  }

  /// What the fake wrote to standard error so far.
  public var stderrText: String { String(decoding: stderr.withLock { $0 }, as: UTF8.self) }

  // MARK: - Control API

  /// Calls `/__control/<name>` (`GET` without a body, `POST` with one) and returns its JSON answer.
  @discardableResult
  public func control(_ name: String, _ body: JSONValue? = nil) async throws -> JSONValue {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/__control/\(name)")!)
    if let body {
      request.httpMethod = "POST"
      request.httpBody = Data(JSONWriter.bytes(body))
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, _) = try await Self.session.data(for: request)
    return try JSONParser.parse(Array(data))
  }

  /// Queues faults (`fault("status", ["status": 503])`, …) for `path` below `/client/v4`, or for every path.
  public func script(_ faults: [JSONValue], path: String? = nil) async throws {
    var body: JSONObject = ["responses": .array(faults)]
    if let path { body["path"] = .string(path) }
    try await control("script", .object(body))
  }

  public func counters() async throws -> JSONValue { try await control("counters") }

  /// Requests the fake received: path, query, headers (lower-cased), clientPort.
  public func requests() async throws -> [JSONValue] {
    try await control("requests")["requests"]?.arrayValue ?? []
  }

  /// API requests the fake has answered (or failed on purpose) since it started.
  public func total() async throws -> Int { try await counters()["total"]?.intValue ?? -1 }

  /// What the fake itself answers for `pathAndQuery` below `/client/v4`, with `token` as Bearer.
  public func directly(_ pathAndQuery: String, token: String) async throws -> JSONValue {
    var request = URLRequest(url: URL(string: baseURL + pathAndQuery)!)
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    let (data, _) = try await Self.session.data(for: request)
    return try JSONParser.parse(Array(data))
  }
}

public struct FakeError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// A fault for ``FakeCloudflare/script(_:path:)``: `fault("status", ["status": 503])`.
public func fault(_ kind: String, _ options: JSONObject = [:]) -> JSONValue {
  var object = options
  object["kind"] = .string(kind)
  return .object(object)
}
