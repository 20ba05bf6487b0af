import Foundation

/// Writes one line of a benchmark's report to standard error: standard output of every
/// radar-rpc executable carries protocol frames only (contract §1), so the reports of this one
/// go where the server's logs go. `bench/run` and `bench/writer_icount.py` read them there.
func report(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
