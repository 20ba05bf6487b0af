import Foundation
import TestSupport
import JSON
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `Tests/Support/fake_cloudflare.py` on 127.0.0.1, with the part of its control API the
/// end-to-end tests use. It exits when we close its stdin (or when the test process dies).
final class FakeCloudflare: Sendable {
  let port: Int
  private let process: Process
  private let stdin: FileHandle
  private static let session = URLSession(configuration: .ephemeral)

  static let token = "e2e-secret-token-5f0c1a"

  /// Starts a fake that accepts only ``token``.
  static func start(_ arguments: [String] = ["--token", token]) async throws -> FakeCloudflare {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = ServerProcess.repositoryRoot.appendingPathComponent("Tests/Support/fake_cloudflare.py")
    process.arguments = ["python3", script.path] + arguments
    let pipes = try Spawn.run(process)
    let stdin = pipes.stdin, stdout = pipes.stdout
    Thread.detachNewThread { _ = try? pipes.stderr.readToEnd() }
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
          continuation.resume(throwing: ServerProcess.Failure("fake_cloudflare did not print its port: '\(text)'"))
        }
        _ = try? reader.readToEnd()
      }
    }
    return FakeCloudflare(port: port, process: process, stdin: stdin)
  }

  private init(port: Int, process: Process, stdin: FileHandle) {
    self.port = port
    self.process = process
    self.stdin = stdin
  }

  deinit {
    try? stdin.close()
    if process.isRunning { process.terminate() }
  }

  var baseURL: String { "http://127.0.0.1:\(port)/client/v4" }

  /// `radar-rpc` in live mode against this fake, with the token in the environment (unless `token` is nil).
  func server(_ arguments: [String] = [], token: String? = FakeCloudflare.token, framing: ServerProcess.Framing = .ndjson)
    throws -> ServerProcess
  {
    var environment: [String: String] = [:]
    if let token { environment["CLOUDFLARE_API_TOKEN"] = token }
    return try ServerProcess(
      ["--base-url", baseURL, "--framing", framing == .lsp ? "lsp" : "ndjson"] + arguments, framing: framing,
      environment: environment)
  }

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

  /// Queues faults (`{"kind": "status", "status": 503}`, …) for `path` below `/client/v4`, or for every path.
  func script(_ faults: [JSONValue], path: String? = nil) async throws {
    var body: JSONObject = ["responses": .array(faults)]
    if let path { body["path"] = .string(path) }
    try await control("script", .object(body))
  }

  /// What the fake itself answers for `pathAndQuery` below `/client/v4`, with the right token.
  func directly(_ pathAndQuery: String) async throws -> JSONValue {
    var request = URLRequest(url: URL(string: baseURL + pathAndQuery)!)
    request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
    let (data, _) = try await Self.session.data(for: request)
    return try JSONParser.parse(Array(data))
  }

  /// API requests the fake has served so far.
  func total() async throws -> Int { try await control("counters")["total"]?.intValue ?? -1 }

  /// Changes the data every later answer carries.
  func bumpVersion() async throws { try await control("version", [:]) }
}
