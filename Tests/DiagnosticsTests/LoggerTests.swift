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
