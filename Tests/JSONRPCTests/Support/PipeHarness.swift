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
  private let exitCode = Locked<Int32?>(nil)

  init(
    framing: Framing = .lsp, configuration: ConnectionConfiguration = ConnectionConfiguration(),
    handler: any RequestHandler
  ) {
    self.framing = framing
    var a: [Int32] = [0, 0]
    var b: [Int32] = [0, 0]
    precondition(pipe(&a) == 0 && pipe(&b) == 0)
    serverInput = a[0]
    toServer = a[1]
    fromServer = b[0]
    serverOutput = b[1]
    connection = Connection(configuration: configuration, handler: handler, input: serverInput, output: serverOutput)
    let thread = Thread { [self] in readLoop() }
    thread.start()
    Task { [self] in
      let code = await connection.run()
      exitCode.withLock { $0 = code }
    }
  }

  deinit {
    close(toServer)
    close(serverInput)
    close(serverOutput)
  }

  /// Sends one message (or any raw JSON text) as a frame.
  func send(_ json: String) { sendRaw(Array(FrameEncoder.frame(body: Array(json.utf8), framing: framing))) }

  func send(_ value: JSONValue) { send(JSONWriter.string(value)) }

  func sendRaw(_ bytes: [UInt8]) {
    precondition(writeAll(bytes, to: toServer), "write to server failed")
  }

  func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

  /// Closes the server's input (end of input).
  func closeInput() { close(toServer) }

  var messages: [JSONValue] { received.withLock { $0 } }
  /// When each message arrived (taken on the reader thread, independent of the test's tasks).
  var arrivalTimes: [Date] { arrivals.withLock { $0 } }
  var output: [UInt8] { rawOutput.withLock { $0 } }
  var code: Int32? { exitCode.withLock { $0 } }

  /// Waits for `run()` to return; its exit code, or `nil` after `timeout`.
  func waitForExit(timeout: Duration = defaultTimeout) async -> Int32? {
    await waitUntil(timeout: timeout) { code != nil }
    return code
  }

  private func readLoop() {
    var decoder = FrameDecoder(mode: .auto, maxMessageBytes: 1 << 30)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fromServer, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      rawOutput.withLock { $0.append(contentsOf: buffer[0..<n]) }
      decoder.feed(Array(buffer[0..<n])) { event, _ in
        guard case .frame(let bytes) = event, let value = try? JSONParser.parse(bytes) else { return }
        received.withLock { $0.append(value) }
        arrivals.withLock { $0.append(Date()) }
      }
    }
  }
}
