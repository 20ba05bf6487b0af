#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes every byte of `bytes` to the file descriptor `fd`, going on after short writes and
/// after `EINTR`/`EAGAIN`. Returns `false` when the descriptor fails (a closed pipe: `EPIPE`,
/// with `SIGPIPE` ignored) or accepts nothing; the rest is then not written. `wrote` is called
/// after each `write(2)` that accepted bytes, with their count.
@discardableResult
public func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, wrote: (Int) -> Void = { _ in }) -> Bool {
  guard let base = bytes.baseAddress else { return true }
  var offset = 0
  while offset < bytes.count {
    let n = write(fd, base + offset, bytes.count - offset)
    if n < 0, errno == EINTR || errno == EAGAIN { continue }
    if n <= 0 { return false }
    wrote(n)
    offset += n
  }
  return true
}

/// Writes all of `bytes` to `fd` (see ``writeAll(_:to:wrote:)-(UnsafeRawBufferPointer,_,_)``).
@discardableResult
public func writeAll(_ bytes: [UInt8], to fd: Int32, wrote: (Int) -> Void = { _ in }) -> Bool {
  bytes.withUnsafeBytes { writeAll($0, to: fd, wrote: wrote) }
}

/// Writes `text` as UTF-8 to `fd` (see ``writeAll(_:to:wrote:)-(UnsafeRawBufferPointer,_,_)``).
@discardableResult
public func writeAll(_ text: String, to fd: Int32) -> Bool {
  var text = text
  return text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: fd) }
}
