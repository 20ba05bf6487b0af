import Foundation
import JSON
import TestSupport
import Testing

/// Replays every transcript of `protocol/examples/*.json` against the server it names, in both framings,
/// so the examples a plugin author reads are what the server really says. The format and the rules for
/// `ignore` and `opaque` are in `protocol/examples/README.md`.
@Suite struct ExampleTranscriptTests {
  static let folder = ServerProcess.repositoryRoot.appendingPathComponent("protocol/examples")

  static var transcripts: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted()
  }

  @Test func thereAreExamples() {
    #expect(Self.transcripts.count >= 4)
  }

  @Test(arguments: transcripts, [ServerProcess.Framing.ndjson, .lsp])
  func replay(_ name: String, _ framing: ServerProcess.Framing) async throws {
    let transcript = try JSONParser.parse(Array(try Data(contentsOf: Self.folder.appendingPathComponent(name))))
    #expect(transcript["description"]?.stringValue?.isEmpty == false)
    let arguments = transcript["arguments"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let server = try ServerProcess(arguments, framing: framing)
    var aliases: [JSONValue: JSONValue] = [:]  // recorded opaque value -> the value this run got
    var received = 0
    for (index, step) in (transcript["steps"]?.arrayValue ?? []).enumerated() {
      if let message = step["send"] {
        server.send(Self.substitute(message, aliases))
      } else if let text = step["sendRaw"]?.stringValue {
        server.sendRaw(framing == .lsp ? "Content-Length: \(text.utf8.count)\r\n\r\n\(text)" : text + "\n")
      } else if let expected = step["receive"] {
        let arrived = await server.waitFor { $0.count > received }
        try #require(arrived, "\(name) step \(index): nothing received; expected \(expected)")
        let actual = server.messages[received]
        received += 1
        let ignore = step["ignore"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for pointer in step["opaque"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
          if let recorded = Self.value(expected, at: pointer), let got = Self.value(actual, at: pointer) {
            aliases[recorded] = aliases[recorded] ?? got
          }
        }
        let differences = Self.differences(Self.substitute(expected, aliases), actual, ignoring: Set(ignore))
        #expect(differences.isEmpty, "\(name) step \(index): \(differences.joined(separator: "; "))")
      } else {
        Issue.record("\(name) step \(index): neither send, sendRaw nor receive")
      }
    }
    if let code = transcript["exitCode"]?.intValue {
      #expect(await server.waitForExit() == Int32(code))
    } else {
      // Answered after everything the transcript sent was read and answered: nothing more is owed.
      _ = await server.call("transcript-end", "server.stats")
    }
    let messages = server.messages.filter { $0["id"] != "transcript-end" }
    #expect(messages.count == received, "\(name): unexpected \(messages.dropFirst(received))")
  }

  /// Where `expected` and `actual` differ, as JSON Pointers; at an ignored pointer both only need a value of the same type.
  static func differences(
    _ expected: JSONValue, _ actual: JSONValue, ignoring ignored: Set<String>, at path: String = ""
  )
    -> [String]
  {
    if ignored.contains(path) {
      return expected.typeName == actual.typeName ? [] : ["\(path): \(actual.typeName) instead of \(expected.typeName)"]
    }
    switch (expected, actual) {
    case (.object(let e), .object(let a)):
      var found: [String] = []
      for key in Set(e.keys).union(a.keys).sorted() {
        let child = path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        guard let ev = e[key] else {
          found.append("\(child): not expected")
          continue
        }
        guard let av = a[key] else {
          found.append("\(child): missing")
          continue
        }
        found += differences(ev, av, ignoring: ignored, at: child)
      }
      return found
    case (.array(let e), .array(let a)) where e.count == a.count:
      return zip(e, a).enumerated().flatMap { differences($1.0, $1.1, ignoring: ignored, at: "\(path)/\($0)") }
    default:
      return expected == actual ? [] : ["\(path.isEmpty ? "/" : path): \(actual) instead of \(expected)"]
    }
  }

  static func value(_ value: JSONValue, at pointer: String) -> JSONValue? {
    var current: JSONValue? = value
    for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
      let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      if let index = Int(key), let array = current?.arrayValue {
        current = index < array.count ? array[index] : nil
      } else {
        current = current?[key]
      }
    }
    return current
  }

  static func substitute(_ value: JSONValue, _ aliases: [JSONValue: JSONValue]) -> JSONValue {
    if let alias = aliases[value] { return alias }
    switch value {
    case .object(let object): return .object(JSONObject(object.map { ($0.key, substitute($0.value, aliases)) }))
    case .array(let array): return .array(array.map { substitute($0, aliases) })
    default: return value
    }
  }
}
