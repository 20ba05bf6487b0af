public import Foundation
import SystemSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Reads and writes on the pipes of a child process that go on when a signal interrupts them.
///
/// swift-corelibs-foundation's `availableData`, `readToEnd()` and `write(contentsOf:)` treat a
/// `read(2)`/`write(2)` that fails with `EINTR` as an error, and `availableData` traps on it
/// ("Fatal error: … Interrupted system call"), ending the whole test process. These loop over
/// the system calls themselves and retry `EINTR`.
extension FileHandle {
  /// What the descriptor has now, waiting for at least one byte: up to 64 KiB; empty at end of
  /// file (or when the descriptor fails).
  public func readSome() -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      return n > 0 ? Array(buffer[0..<n]) : []
    }
  }

  /// One line, without its newline, read a byte at a time (nothing past it is consumed); what
  /// there is at end of file.
  public func readLine() -> [UInt8] {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let n = Glibc.read(fileDescriptor, &byte, 1)
      if n < 0, errno == EINTR { continue }
      if n <= 0 || byte == UInt8(ascii: "\n") { return line }
      line.append(byte)
    }
  }

  /// Everything up to end of file.
  public func readAll() -> [UInt8] {
    var all: [UInt8] = []
    while true {
      let chunk = readSome()
      if chunk.isEmpty { return all }
      all += chunk
    }
  }

  /// Writes every byte (``SystemSupport/writeAll(_:to:wrote:)``); false when the descriptor
  /// fails (the reader has exited: `EPIPE`).
  @discardableResult
  public func writeAll(_ bytes: [UInt8]) -> Bool { SystemSupport.writeAll(bytes, to: fileDescriptor) }
}
