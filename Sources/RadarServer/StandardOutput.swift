import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps standard output for protocol frames only.
///
/// A stray `print` anywhere in the process (ours or a library's) would corrupt the frame
/// stream — the most reported failure of stdio servers. So, as sourcekit-lsp does, frames go
/// to a private duplicate of file descriptor 1, and descriptor 1 itself is pointed at
/// standard error.
enum StandardOutput {
  /// Returns the descriptor to write frames to.
  static func claimForFrames() -> Int32 {
    let frames = dup(1)
    guard frames >= 0 else { return 1 }
    _ = dup2(2, 1)
    return frames
  }

  /// Writes `text` to standard error (usage and configuration errors, before logging starts).
  static func writeError(_ text: String) { writeAll(text, to: 2) }

  /// `--help` and `--version`: the only time the process writes anything but frames to standard
  /// output, because it then speaks no protocol at all (and exits before reading input).
  static func writeAnswerInsteadOfServing(_ text: String) { writeAll(text, to: 1) }
}
