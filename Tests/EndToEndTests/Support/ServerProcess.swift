import Foundation
import JSON
import SystemSupport
import TestSupport

/// The real `radar-rpc` binary, spawned over pipes the way an editor or a script spawns it.
///
/// Standard output and standard error are read on their own threads from the start, so a
/// server that writes a lot can never block on a full pipe while the test waits for it
/// (the `waitUntilExit()`-before-read deadlock). Frames are parsed as they arrive, in the
/// framing the test speaks.
final class ServerProcess: JSONRPCTestPeer {
  enum Framing: Sendable { case lsp, ndjson }

  let framing: Framing
  private let process: ChildProcess
  private let stdin: FileHandle
  private let state = Locked(State())
  private let cacheHome = PrivateCacheHome()

  private struct State {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var messages: [JSONValue] = []
    var parseFailures: [String] = []
    var stdoutClosed = false
    var stderrClosed = false
  }

  /// Starts the binary with `arguments`. The environment is the test's, minus any Cloudflare
  /// variables, plus `environment`, with an `XDG_CACHE_HOME` of its own unless `environment`
  /// sets one (see ``PrivateCacheHome``).
  init(_ arguments: [String], framing: Framing = .lsp, environment: [String: String] = [:]) throws {
    _ = Self.ignoreBrokenPipes
    self.framing = framing
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CLOUDFLARE_") }
    for (k, v) in environment { env[k] = v }
    env = cacheHome.applied(to: env)
    process = try ChildProcess(try ServerProcess.binaryURL(), arguments, environment: env)
    let pipes = process
    stdin = pipes.stdin
    let out = pipes.stdout
    let err = pipes.stderr
    Thread { [self] in readStdout(out) }.start()
    Thread { [self] in
      while true {
        let data = err.readSome()
        if data.isEmpty { break }
        state.withLock { $0.stderr.append(contentsOf: data) }
      }
      state.withLock { $0.stderrClosed = true }
    }.start()
  }

  /// Writing to a server that has already exited (a refused flag exits at once) must fail with
  /// EPIPE, not end the whole test process with SIGPIPE.
  private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

  deinit {
    if process.isRunning { process.terminate() }
  }

  /// The built `radar-rpc`: `RADAR_RPC_BIN`, or next to the test bundle, or in `.build/debug`.
  static func binaryURL() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["RADAR_RPC_BIN"] { return URL(fileURLWithPath: path) }
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
      var dir = executable.deletingLastPathComponent()
      for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("radar-rpc"))
        dir = dir.deletingLastPathComponent()
      }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/radar-rpc"))
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
      return candidate
    }
    struct NotBuilt: Error, CustomStringConvertible {
      let tried: [URL]
      var description: String { "radar-rpc binary not found; tried \(tried.map(\.path))" }
    }
    throw NotBuilt(tried: candidates)
  }

  /// `radar-rpc --demo` plus `arguments`; framing `auto`, so the server answers in the framing the test speaks.
  static func demo(_ arguments: [String] = [], framing: Framing = .ndjson) throws -> ServerProcess {
    try ServerProcess(["--demo"] + arguments, framing: framing)
  }

  /// A test failure with a message (a missing binary, a fake that did not start).
  struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// The repository root (for fixtures such as Tests/Support/fake_cloudflare.py).
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  // MARK: Sending

  func sendRaw(_ bytes: [UInt8]) {
    stdin.writeAll(bytes)
  }

  func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

  /// `value` as one frame in this process's framing (to write several in one go).
  func frame(_ value: JSONValue) -> String {
    let body = JSONWriter.string(value)
    switch framing {
    case .lsp: return "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    case .ndjson: return body + "\n"
    }
  }

  func send(_ value: JSONValue) {
    let body = JSONWriter.bytes(value)
    switch framing {
    case .lsp: sendRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    case .ndjson: sendRaw(body + [0x0A])
    }
  }

  func closeInput() { try? stdin.close() }

  // MARK: Receiving

  var messages: [JSONValue] { state.withLock { $0.messages } }
  var stdoutBytes: [UInt8] { state.withLock { $0.stdout } }
  var stderrText: String { String(decoding: state.withLock { $0.stderr }, as: UTF8.self) }
  var parseFailures: [String] { state.withLock { $0.parseFailures } }

  /// Waits for the process to exit and for its output and error streams to end (so everything
  /// it wrote has been read); returns its status, or nil on timeout, after killing it.
  func waitForExit(timeout: Duration = defaultTimeout) async -> Int32? {
    await waitUntil(timeout: timeout) { !process.isRunning }
    if process.isRunning {
      process.terminate()
      return nil
    }
    await waitUntil { outputEnded }
    return process.terminationStatus
  }

  /// True once standard output and standard error have both ended (the process has exited and
  /// everything it wrote has been read).
  var outputEnded: Bool { state.withLock { $0.stdoutClosed && $0.stderrClosed } }

  var isRunning: Bool { process.isRunning }

  /// Sends `signal` to the server (SIGTERM, …; `SIGKILL`: it dies mid-call, as a crashed process does).
  func send(signal: Int32) { _ = kill(process.processIdentifier, signal) }

  private func readStdout(_ handle: FileHandle) {
    var buffer: [UInt8] = []
    while true {
      let data = handle.readSome()
      if data.isEmpty { break }
      buffer.append(contentsOf: data)
      state.withLock { $0.stdout.append(contentsOf: data) }
      var consumed = 0
      while let (frame, used) = Self.nextFrame(buffer[consumed...], framing: framing) {
        consumed += used
        if let value = try? JSONParser.parse(Array(frame)) {
          state.withLock { $0.messages.append(value) }
        } else {
          state.withLock { $0.parseFailures.append(String(decoding: frame, as: UTF8.self)) }
        }
      }
      buffer.removeFirst(consumed)
    }
    state.withLock { $0.stdoutClosed = true }
  }

  /// The next whole frame in `bytes` and how many bytes it used. Strict: the server's output
  /// must be exactly `Content-Length: N\r\n\r\n` + body, or one JSON value per line.
  static func nextFrame(_ bytes: ArraySlice<UInt8>, framing: Framing) -> (ArraySlice<UInt8>, Int)? {
    switch framing {
    case .ndjson:
      guard let newline = bytes.firstIndex(of: 0x0A) else { return nil }
      return (bytes[bytes.startIndex..<newline], newline - bytes.startIndex + 1)
    case .lsp:
      let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
      guard bytes.count >= 4 else { return nil }
      var i = bytes.startIndex
      while i + 4 <= bytes.endIndex, Array(bytes[i..<(i + 4)]) != separator { i += 1 }
      guard i + 4 <= bytes.endIndex else { return nil }
      let header = String(decoding: bytes[bytes.startIndex..<i], as: UTF8.self)
      guard header.hasPrefix("Content-Length: "), let n = Int(header.dropFirst(16)) else {
        // Not a valid header: reported as a parse failure.
        return (bytes[bytes.startIndex..<i], i + 4 - bytes.startIndex)
      }
      let start = i + 4
      guard bytes.endIndex - start >= n else { return nil }
      return (bytes[start..<(start + n)], start + n - bytes.startIndex)
    }
  }
}
