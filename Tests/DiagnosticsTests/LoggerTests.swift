import SystemSupport
import Testing

@testable import Diagnostics

@Suite struct LoggerTests {
  final class Lines: Sendable {
    let lines = Locked<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
  }

  @Test func levelsFilter() {
    let logger = Logger(level: .warn)
    let lines = Lines()
    logger.redirect(to: { lines.append($0) })
    logger.debug("d")
    logger.info("i")
    logger.warn("w")
    logger.error("e")
    #expect(lines.all == ["radar-rpc warn: w\n", "radar-rpc error: e\n"])
  }

  @Test func secretsAreRedacted() {
    let logger = Logger(level: .debug)
    let lines = Lines()
    logger.redirect(to: { lines.append($0) })
    logger.registerSecret("s3cr3t-token-value")
    logger.debug("Authorization: Bearer s3cr3t-token-value (twice: s3cr3t-token-value)")
    #expect(lines.all.count == 1)
    #expect(!lines.all[0].contains("s3cr3t"))
    #expect(lines.all[0].contains("Bearer [REDACTED]"))
  }

  @Test func levelNames() {
    #expect(LogLevel(name: "DEBUG") == .debug)
    #expect(LogLevel(name: "warning") == .warn)
    #expect(LogLevel(name: "loud") == nil)
  }
}

/// Contract §7: one event is one line, whatever text from outside it quotes.
@Suite struct LogEscapingTests {
  @Test func controlCharactersBecomeEscapes() {
    let logger = Logger(level: .debug)
    let lines = LoggerTests.Lines()
    logger.redirect(to: { lines.append($0) })
    logger.info("ignored unknown notification evil\nradar-rpc error: forged\r\u{1B}[31mred\u{7}\t\u{85}\u{2028}")
    #expect(lines.all.count == 1)
    let line = lines.all.first ?? ""
    #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
    #expect(line.dropLast().unicodeScalars.allSatisfy { !LogEscaping.needsEscape($0) })
    #expect(
      line
        == "radar-rpc info: ignored unknown notification evil\\nradar-rpc error: forged\\r\\u{1B}[31mred\\u{7}\\t\\u{85}\\u{2028}\n"
    )
  }

  @Test func printableTextIsKept() {
    #expect(LogEscaping.escaped(#"id "é" C:\path 😀"#) == #"id "é" C:\path 😀"#)
    #expect(LogEscaping.escaped("bidi \u{202E}txt") == "bidi \\u{202E}txt")
  }
}
