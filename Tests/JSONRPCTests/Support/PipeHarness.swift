import Foundation
import JSON
import SystemSupport
import TestSupport

@testable import JSONRPC

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a ``Connection`` over two real pipes, the way a client process would talk to it:
/// one side writes frames into the server's input, a reader thread collects its output.
final class PipeHarness: JSONRPCTestPeer {
  let framing: Framing
  private let toServer: Int32  // we write here
  private let fromServer: Int32  // we read here
  private let serverInput: Int32
  private let serverOutput: Int32
  let connection: Connection
  private let received = Locked<[JSONValue]>([])
  private let arrivals = Locked<[Date]>([])
  private let rawOutput = Locked<[UInt8]>([])
  /// Bytes of output read and parsed into ``messages``.
  private let bytesHandled = Locked(0)
  /// The server's output is closed (it has exited) and everything it wrote has been read.
  private let outputEnded = Locked(false)
  private let reading = Locked(false)
  /// Each descriptor is closed once: closing a number twice could close another test's pipe that
  /// was given the same number in between.
  private let serverOutputClosed = Locked(false)
  private let inputClosed = Locked(false)

  /// With `readingOutput` false, nothing reads the server's output until ``startReadingOutput()``
  /// (a client that does not read its answers).
  init(
    framing: Framing = .lsp, configuration: ConnectionConfiguration = ConnectionConfiguration(),
    handler: any RequestHandler, readingOutput: Bool = true
  ) {
    self.framing = framing
    // As the server process does (RadarServer.run): a write to a pipe nobody reads any more is an
    // error (EPIPE) for the writer to handle, not a signal that ends the whole test process.
    signal(SIGPIPE, SIG_IGN)
    var a: [Int32] = [0, 0]
    var b: [Int32] = [0, 0]
    precondition(pipe(&a) == 0 && pipe(&b) == 0)
    serverInput = a[0]
    toServer = a[1]
    fromServer = b[0]
    serverOutput = b[1]
    connection = Connection(configuration: configuration, handler: handler, input: serverInput, output: serverOutput)
    if readingOutput { startReadingOutput() }
    Task { [self] in
      _ = await connection.run()
      // Like a process's standard output at exit: the reader sees the end of what was written.
      serverOutputClosed.withLock { closed in
        closed = true
        close(serverOutput)
      }
    }
  }

  deinit {
    closeInput()
    close(serverInput)
    serverOutputClosed.withLock { closed in if !closed { close(serverOutput) } }
  }

  /// Starts the thread that reads and parses the server's output.
  func startReadingOutput() {
    reading.withLock { $0 = true }
    Thread { [self] in readLoop() }.start()
  }

  /// Writes what the server's input takes without blocking; returns how many bytes that was.
  func sendWithoutBlocking(_ bytes: [UInt8]) -> Int {
    let flags = fcntl(toServer, F_GETFL)
    _ = fcntl(toServer, F_SETFL, flags | O_NONBLOCK)
    defer { _ = fcntl(toServer, F_SETFL, flags) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { write(toServer, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      offset += n
    }
    return offset
  }

  /// Sends `bytes` without blocking for as long as the server reads them: gives up once 200 tries
  /// a millisecond apart took nothing (the server stopped reading). Returns how many it took.
  func sendUntilTheServerStopsReading(_ bytes: [UInt8]) async -> Int {
    var sent = 0
    var stalled = 0
    while sent < bytes.count, stalled < 200 {
      let n = sendWithoutBlocking(Array(bytes[sent...]))
      sent += n
      stalled = n == 0 ? stalled + 1 : 0
      try? await Task.sleep(for: .milliseconds(1))
    }
    return sent
  }

  /// Sends one message (or any raw JSON text) as a frame.
  func send(_ json: String) { sendRaw(Array(FrameEncoder.frame(body: Array(json.utf8), framing: framing))) }

  func send(_ value: JSONValue) { send(JSONWriter.string(value)) }

  func sendRaw(_ bytes: [UInt8]) {
    precondition(writeAll(bytes, to: toServer), "write to server failed")
  }

  func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

  /// Closes the server's input (end of input).
  func closeInput() {
    inputClosed.withLock { closed in
      if !closed { close(toServer) }
      closed = true
    }
  }

  var messages: [JSONValue] { received.withLock { $0 } }
  /// When each message arrived (taken on the reader thread, independent of the test's tasks).
  var arrivalTimes: [Date] { arrivals.withLock { $0 } }
  var output: [UInt8] { rawOutput.withLock { $0 } }
  /// The exit code once the connection has ended, as it ends: read from the connection itself, so
  /// seeing it needs no task of the shared pool (which a test run under ThreadSanitizer on a
  /// loaded machine can starve for most of a test timeout).
  var code: Int32? { connection.lifecycle.withLock { $0.exitCode } }

  /// Waits until the connection has ended and (when the output is being read) everything it wrote
  /// has been read — every byte its writer wrote, or the end of the output; its exit code, or
  /// `nil` after `timeout`. The default is five test timeouts: ending takes a few turns of the
  /// shared pool (the request tasks, the handler's hooks), and at the start of a ThreadSanitizer
  /// run on a loaded machine the pool gives none for up to ~100 s; the wait only bounds a hang.
  func waitForExit(timeout: Duration = defaultTimeout * 5) async -> Int32? {
    await waitUntil(timeout: timeout) {
      guard code != nil else { return false }
      if !reading.withLock({ $0 }) || outputEnded.withLock({ $0 }) { return true }
      return bytesHandled.withLock { $0 } >= connection.output.bytesWritten
    }
    return code
  }

  private func readLoop() {
    var decoder = FrameDecoder(mode: .auto, maxMessageBytes: 1 << 30)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fromServer, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      rawOutput.withLock { $0.append(contentsOf: buffer[0..<n]) }
      decoder.feed(Array(buffer[0..<n])) { event, _ in
        guard case .frame(let bytes) = event, let value = try? JSONParser.parse(bytes) else { return }
        received.withLock { $0.append(value) }
        arrivals.withLock { $0.append(Date()) }
      }
      bytesHandled.withLock { $0 += n }
    }
    outputEnded.withLock { $0 = true }
  }
}
