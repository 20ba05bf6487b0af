import JSON
import Testing

@testable import Radar

/// Credential values leave upstream text wherever they are, and nothing else changes.
@Suite struct CredentialRedactorTests {
  private let redactor = CredentialRedactor(secrets: ["s3cr3t-token", "", "key-42"])

  @Test func replacesEveryOccurrenceInBytesAndStrings() {
    #expect(
      redactor.redact("a s3cr3t-token b s3cr3t-tokens3cr3t-token key-42")
        == "a [redacted] b [redacted][redacted] [redacted]")
    #expect(redactor.redact("nothing here") == "nothing here")
    #expect(redactor.redact("s3cr3t-toke") == "s3cr3t-toke")
    #expect(redactor.redact(Array("xs3cr3t-tokenx".utf8)) == Array("x[redacted]x".utf8))
    // UTF-8 bytes, not Characters: a combining mark after the value does not hide it.
    #expect(redactor.redact("s3cr3t-token\u{301}") == "[redacted]\u{301}")
    #expect(redactor.redact(headers: ["x-echo": "Bearer s3cr3t-token"]) == ["x-echo": "Bearer [redacted]"])
    #expect(CredentialRedactor(secrets: []).redact("s3cr3t-token") == "s3cr3t-token")
  }

  @Test func walksJSONValuesAndKeepsWhatHoldsNoSecret() {
    let value: JSONValue = [
      "meta": ["a": 1, "b": [true, .null, "s3cr3t-token"]], "s3cr3t-token": "x", "untouched": ["1", "2"],
    ]
    let clean = redactor.redact(value)
    #expect(
      clean == ["meta": ["a": 1, "b": [true, .null, "[redacted]"]], "[redacted]": "x", "untouched": ["1", "2"]])
    #expect(clean.objectValue?.keys == ["meta", "[redacted]", "untouched"])
    let plain: JSONValue = ["a": ["b", "c"]]
    #expect(redactor.redact(plain) == plain)
  }
}
