/// Deterministic pseudo-randomness for the demo backend.
///
/// The demo must give the same answer in every process, so it never uses
/// `SystemRandomNumberGenerator` or Swift's `Hasher` (which is seeded per process). Strings are
/// hashed with FNV-1a and numbers are scrambled with the SplitMix64 finaliser, a cheap,
/// well-mixed bijection on 64 bits.
enum SeededRandom {
  /// FNV-1a, 64 bits, of `string`'s UTF-8 bytes, continuing from `seed`.
  static func hash(_ string: String, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
    var h = seed
    for byte in string.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01B3
    }
    return h
  }

  /// The SplitMix64 finaliser: every input bit affects every output bit.
  @inline(__always)
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Combines two values into one well-mixed value (order matters).
  @inline(__always)
  static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
    mix(a ^ (b &* 0xD6E8_FEB8_6659_FD93))
  }

  /// A uniform value in [0, 1) from the top 53 bits of `x` after mixing.
  @inline(__always)
  static func unit(_ x: UInt64) -> Double {
    Double(mix(x) >> 11) * 0x1p-53
  }

  /// A uniform value in [-1, 1).
  @inline(__always)
  static func signed(_ x: UInt64) -> Double {
    unit(x) * 2 - 1
  }
}
