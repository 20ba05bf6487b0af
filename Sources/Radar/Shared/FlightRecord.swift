import SystemSupport

/// What the process fetching a request tells the processes waiting for it, in the lock file of its
/// call (``CacheDirectory``'s `flights/<sha256>`, which only it writes while it holds the lock):
/// that it waits for a slot of the rate limit until `queuedUntil`, so that wait does not count
/// against theirs (``SharedCache/lead(_:storedSince:)``), and they do not spend a second slot on
/// the same request while it waits for the first.
///
///     offset  size  field (little-endian)
///          0     8  magic "rrflight"
///          8     8  queued until, milliseconds since the Unix epoch
///
/// Written in place (`Files.overwrite`) and read without the lock: anything but those 16 bytes
/// (a file another process has only just made, or damaged), or a time no clock gives, is no record.
struct FlightRecord: Sendable, Hashable {
  /// Wall-clock milliseconds until which the fetching process waits for its rate-limit slot.
  let queuedUntil: Int64

  private static let magic = Array("rrflight".utf8)

  /// The record in the lock file at `path`, or `nil`.
  static func read(_ path: String) -> FlightRecord? {
    guard let bytes = Files.read(path, limit: 16), bytes.count == 16, bytes.prefix(8).elementsEqual(magic) else {
      return nil
    }
    let queuedUntil = bytes.withUnsafeBytes {
      Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self))
    }
    // A time no clock gives is no record (it would overflow the arithmetic on it).
    guard RateBudgetState.possibleTimes.contains(queuedUntil) else { return nil }
    return FlightRecord(queuedUntil: queuedUntil)
  }

  /// Writes the record into the held lock file.
  func write(_ lock: HeldLock) {
    var bytes = Self.magic
    withUnsafeBytes(of: queuedUntil.littleEndian) { bytes.append(contentsOf: $0) }
    _ = bytes.withUnsafeBytes { Files.overwrite(descriptor: lock.fileDescriptor, with: $0) }
  }
}
