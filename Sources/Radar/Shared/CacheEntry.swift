#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The file format of one shared-cache entry: a fixed 80-byte header, the full key, then the
/// result exactly as ``RadarResult/encoded`` holds it (compact JSON, spliced into answers as it is).
///
///     offset  size  field (little-endian)
///          0     8  magic "radarrpc"
///          8     4  format version, 1
///         12     4  key length in bytes
///         16     8  result length in bytes
///         24     8  stored at, milliseconds since the Unix epoch
///         32     8  expires at, milliseconds since the Unix epoch (the writer's --cache-ttl)
///         40     8  reserved, zero
///         48    32  SHA-256 of bytes 0..<48, the key and the result
///         80     …  the key (UTF-8), then the result
///
/// An entry is only ever read whole and checked whole: a file of another length, another
/// version, another key (a different request whose name collided, or a file that is not ours),
/// or whose checksum does not match (a torn or damaged write) is rejected, never served.
struct CacheEntry {
  static let headerSize = 80
  private static let magic = Array("radarrpc".utf8)
  private static let version: UInt32 = 1

  /// Why a file is not a usable entry.
  enum Defect: Error, Sendable, Hashable {
    case truncated, notAnEntry, otherVersion, otherKey, checksumMismatch, notCompactJSON
  }

  /// The checked parts of an entry file.
  struct Decoded {
    let storedAt: Int64
    let expiresAt: Int64
    /// Where the result lies in the file's bytes.
    let result: Range<Int>
  }

  /// The header for `key` and `result`; the file is the header, the key, then the result.
  static func header(
    key: UnsafeRawBufferPointer, result: UnsafeRawBufferPointer, storedAt: Int64, expiresAt: Int64
  ) -> [UInt8] {
    var header = magic
    header.reserveCapacity(headerSize)
    append(version, to: &header)
    append(UInt32(key.count), to: &header)
    append(UInt64(result.count), to: &header)
    append(UInt64(bitPattern: storedAt), to: &header)
    append(UInt64(bitPattern: expiresAt), to: &header)
    append(UInt64(0), to: &header)
    var sha = SHA256()
    sha.update(header)
    sha.update(key)
    sha.update(result)
    header += sha.finalize()
    return header
  }

  /// Checks an entry's header (the first ``headerSize`` of `bytes`) against `key` and the size of
  /// the whole file, before the rest is read.
  static func checkHeader(_ bytes: [UInt8], key: [UInt8], fileSize: Int) throws(Defect) {
    guard bytes.count >= headerSize else { throw .truncated }
    guard bytes.prefix(8).elementsEqual(magic) else { throw .notAnEntry }
    let (fileVersion, keyLength, resultLength) = bytes.withUnsafeBytes {
      (load(UInt32.self, $0, at: 8), Int(load(UInt32.self, $0, at: 12)), load(UInt64.self, $0, at: 16))
    }
    guard fileVersion == version else { throw .otherVersion }
    guard resultLength <= UInt64(fileSize), headerSize + keyLength + Int(resultLength) == fileSize else {
      throw .truncated
    }
    guard keyLength == key.count else { throw .otherKey }
  }

  /// Checks `file` as the entry for `key`.
  static func decode(_ file: [UInt8], key: [UInt8]) throws(Defect) -> Decoded {
    try checkHeader(file, key: key, fileSize: file.count)
    do {
      return try file.withUnsafeBytes { try decode($0, key: key) }
    } catch let defect as Defect {
      throw defect
    } catch {
      throw .notAnEntry
    }
  }

  /// `bytes` has passed ``checkHeader(_:key:fileSize:)``.
  private static func decode(_ bytes: UnsafeRawBufferPointer, key: [UInt8]) throws(Defect) -> Decoded {
    let keyRange = headerSize..<(headerSize + key.count)
    let resultRange = keyRange.upperBound..<bytes.count
    guard UnsafeRawBufferPointer(rebasing: bytes[keyRange]).elementsEqual(key) else { throw .otherKey }
    var sha = SHA256()
    sha.update(UnsafeRawBufferPointer(rebasing: bytes[0..<48]))
    sha.update(UnsafeRawBufferPointer(rebasing: bytes[keyRange]))
    let result = UnsafeRawBufferPointer(rebasing: bytes[resultRange])
    sha.update(result)
    guard sha.finalize().elementsEqual(bytes[48..<80]) else { throw .checksumMismatch }
    // What JSONWriter writes starts with a value's first byte and never holds a raw line break.
    guard let first = result.first, Self.startsValue(first), memchr(result.baseAddress!, 0x0A, result.count) == nil
    else { throw .notCompactJSON }
    return Decoded(
      storedAt: Int64(bitPattern: load(UInt64.self, bytes, at: 24)),
      expiresAt: Int64(bitPattern: load(UInt64.self, bytes, at: 32)), result: resultRange)
  }

  private static func startsValue(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      true
    default: false
    }
  }

  private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  private static func load<T: FixedWidthInteger>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
