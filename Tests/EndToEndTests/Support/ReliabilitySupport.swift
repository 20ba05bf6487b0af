import Foundation
import JSON
import Synchronization
import TestSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A small, fast, seedable generator (SplitMix64), so every reliability run replays the same
/// cases: a failure report names its seed and case number and can be reproduced exactly.
struct SeededRandom: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// True when this test process runs with ThreadSanitizer (`swift test --sanitize=thread`): its
/// runtime exports `__tsan_init`. Volume tests scale down under it.
let runningUnderThreadSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

/// A figure from `/proc/<pid>/status` in kB (`VmRSS`, `VmHWM`), or nil once the process is gone.
func procStatusKilobytes(_ key: String, pid: Int32) -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
  for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
    return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
  }
  return nil
}

/// Runs blocking work (a long pipe write, waiting for a child's answers) on a thread of its own:
/// the cooperative pool has 2 threads on 2 cores, and a blocked one stalls every test running alongside.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result { try body() }) }.start()
  }
}

/// Starts `executable` with its stdin and stdout on pipes (returned: the writing and the reading end)
/// and its stderr drained and discarded, so a long run never blocks on a full stderr pipe.
func launch(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> (
  ChildProcess, FileHandle, FileHandle
) {
  let process = try ChildProcess(executable, arguments, environment: environment)
  Thread.detachNewThread { _ = process.stderr.readAll() }
  return (process, process.stdin, process.stdout)
}
