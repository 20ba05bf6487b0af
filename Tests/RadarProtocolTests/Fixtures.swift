import Foundation
import JSON
import Radar

@testable import RadarProtocol

/// Shared helpers for the protocol tests.
enum Fixtures {
  static let table = MethodTable.embedded
  static let ct = table.radarMethod(named: "radar.ct.timeseriesGroups")!
  static let leaked = table.radarMethod(named: "radar.leakedCredentialChecks.timeseriesGroups")!
  static let netflows = table.radarMethod(named: "radar.netflows.timeseriesGroups")!

  /// The repository root, found from this file's path (Tests/RadarProtocolTests/Fixtures.swift).
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static var documentURL: URL { repositoryRoot.appendingPathComponent("protocol/openrpc.json") }

  static func json(_ text: String) -> JSONValue {
    do { return try JSONParser.parse(text) } catch { fatalError("bad JSON in a test: \(error): \(text)") }
  }

  /// The violations `makeRequest` reports (empty when it succeeds).
  static func violations(_ method: RadarMethod, _ params: JSONValue?, prefix: String = "") -> [Violation] {
    do {
      _ = try method.makeRequest(params: params, pointerPrefix: prefix)
      return []
    } catch {
      return error.violations
    }
  }

  /// Validates `value` against a standalone schema (with optional `#/components/schemas/…`).
  static func schemaViolations(_ value: JSONValue, _ schema: JSONValue, components: JSONObject = [:]) throws
    -> [Violation]
  {
    let document: JSONValue = ["components": ["schemas": .object(components)]]
    var compiler = SchemaCompiler(document: document)
    let id = try compiler.compile(schema, at: "")
    let set = compiler.finish()
    var path = JSONPath(prefix: "")
    var violations: [Violation] = []
    SchemaValidator(schemas: set).validate(value, against: id, at: &path, into: &violations)
    return violations
  }
}

extension Array where Element == Violation {
  var paths: [String] { map(\.path) }
}
