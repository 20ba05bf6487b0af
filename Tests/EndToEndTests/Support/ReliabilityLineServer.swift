import Foundation
import JSON
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The real binary over NDJSON for long runs: answers are tallied as they stream past instead of
/// being kept, so hundreds of thousands of them cost neither memory nor a full JSON parse each.
///
/// Single answers are recognised by the prefix the server writes
/// (`{"jsonrpc":"2.0","id":N,"result"…` or `…"error":{"code":C`); anything else (batches,
/// unusual ids) is parsed in full. Lines that are neither are kept as `badLines`.
final class LineServer: @unchecked Sendable {
  enum Outcome: Equatable, Sendable {
    case result
    case error(Int)
  }

  let pid: Int32
  private let process: ChildProcess
  private let input: FileHandle
  private let cacheHome = PrivateCacheHome()
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var answers: [Int: [Outcome]] = [:]
  private var nullErrors: [Int] = []
  private var batchAnswers = 0
  private var finalStats: JSONValue? = nil
  private var badLines: [String] = []
  private var unitsAnswered = 0
  private var closed = false

  init(_ arguments: [String]) throws {
    let output: FileHandle
    (process, input, output) = try launch(
      try ServerProcess.binaryURL(), arguments,
      environment: cacheHome.applied(
        to: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CLOUDFLARE_") }))
    pid = process.processIdentifier
    let fd = output.fileDescriptor
    Thread { [self] in readLoop(fd) }.start()
  }

  deinit {
    if process.isRunning { process.terminate() }
  }

  func send(_ bytes: [UInt8]) { input.writeAll(bytes) }

  func closeInput() { try? input.close() }

  /// Answer frames (single answers and batch arrays) received so far.
  var unitsReceived: Int { locked { unitsAnswered } }

  /// Blocks until `units` answer frames have arrived, the output ends, or `timeout` passes.
  @discardableResult
  func waitForUnits(_ units: Int, timeout: Duration = defaultTimeout) -> Bool {
    let deadline = Date() + timeout / .seconds(1)
    condition.lock()
    defer { condition.unlock() }
    while unitsAnswered < units, !closed {
      if !condition.wait(until: deadline) { break }
    }
    return unitsAnswered >= units
  }

  struct Tally: Sendable {
    var answers: [Int: [Outcome]]
    var nullErrors: [Int]
    var batchAnswers: Int
    var finalStats: JSONValue?
    var badLines: [String]
  }

  var tally: Tally {
    locked {
      Tally(
        answers: answers, nullErrors: nullErrors, batchAnswers: batchAnswers,
        finalStats: finalStats, badLines: badLines)
    }
  }

  func waitForExit(timeout: Duration = defaultTimeout) -> Int32? {
    waitUntilBlocking(timeout: timeout) { !process.isRunning }
    if process.isRunning {
      process.terminate()
      return nil
    }
    return process.terminationStatus
  }

  private func locked<T>(_ body: () -> T) -> T {
    condition.lock()
    defer { condition.unlock() }
    return body()
  }

  // MARK: - Reading

  private func readLoop(_ fd: Int32) {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      buffer += chunk[0..<n]
      var start = 0
      var lines: [ArraySlice<UInt8>] = []
      // memchr, not firstIndex(of:): this loop scans every output byte, and tests build unoptimised.
      let count = buffer.count
      buffer.withUnsafeBufferPointer { bytes in
        while start < count, let hit = memchr(bytes.baseAddress! + start, 0x0A, count - start) {
          let newline = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          lines.append(buffer[start..<newline])
          start = newline + 1
        }
      }
      buffer.removeFirst(start)
      locked {
        for line in lines { take(line) }
      }
      condition.broadcast()
    }
    locked {
      if !buffer.isEmpty { badLines.append("unterminated: " + String(decoding: buffer.prefix(200), as: UTF8.self)) }
      closed = true
    }
    condition.broadcast()
  }

  private static let prefix = Array("{\"jsonrpc\":\"2.0\",\"id\":".utf8)
  private static let result = Array(",\"result\":".utf8)
  private static let error = Array(",\"error\":{\"code\":".utf8)

  /// Records one line (called with the lock held).
  private func take(_ line: ArraySlice<UInt8>) {
    if let (id, outcome) = Self.fastPath(line), id != 0 {
      answers[id, default: []].append(outcome)
      unitsAnswered += 1
      return
    }
    guard let value = try? JSONParser.parse(Array(line)) else {
      badLines.append(String(decoding: line.prefix(200), as: UTF8.self))
      return
    }
    let items: [JSONValue]
    if let array = value.arrayValue {
      batchAnswers += 1
      items = array
    } else {
      items = [value]
    }
    for item in items {
      guard item["jsonrpc"] == "2.0", let id = item["id"] else {
        badLines.append(String(decoding: line.prefix(200), as: UTF8.self))
        continue
      }
      let outcome: Outcome = item["error"]?["code"]?.intValue.map { .error($0) } ?? .result
      if id.isNull {
        if case .error(let code) = outcome { nullErrors.append(code) } else { badLines.append("id-null result") }
      } else if id.intValue == 0 {
        finalStats = item["result"]
      } else if let n = id.intValue {
        answers[n, default: []].append(outcome)
      } else {
        badLines.append("unexpected id \(JSONWriter.string(id))")
      }
    }
    unitsAnswered += 1
  }

  /// `{"jsonrpc":"2.0","id":<digits>,"result":` or `…,"error":{"code":<int>` without parsing.
  private static func fastPath(_ line: ArraySlice<UInt8>) -> (Int, Outcome)? {
    guard line.count > prefix.count + 2, line.starts(with: prefix), line.last == UInt8(ascii: "}") else { return nil }
    var i = line.startIndex + prefix.count
    var id = 0
    let digitsStart = i
    while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, i - digitsStart < 15 {
      id = id * 10 + Int(line[i] - 0x30)
      i += 1
    }
    guard i > digitsStart else { return nil }
    let rest = line[i...]
    if rest.starts(with: result) { return (id, .result) }
    guard rest.starts(with: error) else { return nil }
    var j = i + error.count
    var sign = 1
    if j < line.endIndex, line[j] == UInt8(ascii: "-") {
      sign = -1
      j += 1
    }
    var code = 0
    let codeStart = j
    while j < line.endIndex, line[j] >= 0x30, line[j] <= 0x39 {
      code = code * 10 + Int(line[j] - 0x30)
      j += 1
    }
    guard j > codeStart else { return nil }
    return (id, .error(sign * code))
  }
}
