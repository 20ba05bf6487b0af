import Testing

@testable import Radar

/// SHA-256 against the FIPS 180-4 examples and NIST CAVP short/long messages, whole and fed in pieces.
@Suite struct SHA256Tests {
  private static func hex(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }

  @Test func fipsExamples() {
    #expect(Self.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(Self.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      Self.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      Self.hex(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      )
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  }

  @Test func aMillionAs() {
    var sha = SHA256()
    let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { sha.update(block) }
    #expect(SHA256.hex(sha.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// NIST CAVP SHA256ShortMsg: one-byte and 55/56/64-byte messages sit on the padding's edges.
  @Test func cavpShortMessages() {
    #expect(SHA256.hex(SHA256.hash([0xd3])) == "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1")
    #expect(
      SHA256.hex(SHA256.hash([0x74, 0xba, 0x25, 0x21]))
        == "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e")
    for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
      let message = [UInt8](repeating: 0x61, count: length)
      var pieces = SHA256()
      for byte in message { pieces.update([byte]) }
      #expect(SHA256.hex(pieces.finalize()) == SHA256.hex(SHA256.hash(message)), "length \(length)")
    }
    #expect(
      SHA256.hex(SHA256.hash([UInt8](repeating: 0x61, count: 64)))
        == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
  }

  @Test func piecesOfAnySizeGiveTheSameDigest() {
    let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let whole = SHA256.hash(message)
    for step in [1, 3, 63, 64, 65, 200] {
      var sha = SHA256()
      var i = 0
      while i < message.count {
        sha.update(Array(message[i..<min(i + step, message.count)]))
        i += step
      }
      #expect(sha.finalize() == whole, "step \(step)")
    }
  }
}
