import Foundation
import JSON
import Radar
import Testing

@testable import RadarProtocol

/// `protocol/openrpc.json` as `rpc.discover` serves it: an OpenRPC 1.3 document describing every
/// method of the contract, compiled into the binary from the file itself.
@Suite("OpenRPC document")
struct OpenRPCDocumentTests {
  static func fileText() throws -> String { try String(contentsOf: Fixtures.documentURL, encoding: .utf8) }

  /// The build embeds the file itself (Sources/RadarProtocol/openrpc.json is a symlink to it):
  /// a copy in its place would go stale.
  @Test func theBinaryEmbedsTheFileItself() throws {
    let link = Fixtures.repositoryRoot.appendingPathComponent("Sources/RadarProtocol/openrpc.json")
    let target = try FileManager.default.destinationOfSymbolicLink(atPath: link.path)
    #expect(target == "../../protocol/openrpc.json")
    let same = MethodTable.embeddedDocumentBytes == Array(try Self.fileText().utf8)
    #expect(same, "the embedded document differs from protocol/openrpc.json")
  }

  @Test func discoverServesTheDocument() throws {
    let file = try JSONParser.parse(try Self.fileText())
    let same = MethodTable.embedded.document == file
    #expect(same, "rpc.discover must serve protocol/openrpc.json as it is")
  }

  /// A reference object (`{"$ref": "#/…"}`) resolved against the document.
  func resolve(_ value: JSONValue, in document: JSONValue) -> JSONValue? {
    guard let reference = value["$ref"]?.stringValue else { return value }
    guard let tokens = JSONPointer.tokens(ofLocalReference: reference) else { return nil }
    var current = document
    for token in tokens {
      guard let next = current[token] else { return nil }
      current = next
    }
    return current
  }

  func extensionsOnly(_ object: JSONObject, allowed: Set<String>) -> [String] {
    object.keys.filter { !allowed.contains($0) && !$0.hasPrefix("x-") }
  }

  @Test func openRPCShape() throws {
    let document = try JSONParser.parse(try Self.fileText())
    let root = try #require(document.objectValue)
    // Top level (OpenRPC 1.3 meta-schema: required openrpc, info, methods; extensions x-…).
    #expect(
      extensionsOnly(root, allowed: ["openrpc", "info", "externalDocs", "servers", "methods", "components", "$schema"])
        .isEmpty)
    let version = try #require(root["openrpc"]?.stringValue)
    #expect(["1.3.0", "1.3.1", "1.3.2"].contains(version))
    #expect(root["info"]?["title"]?.stringValue == "radar-rpc")
    #expect(root["info"]?["version"]?.stringValue == RadarRPCVersion.current)
    let methods = try #require(root["methods"]?.arrayValue)
    let errorComponents = try #require(root["components"]?["errors"]?.objectValue)
    var names = Set<String>()
    for method in methods {
      let object = try #require(method.objectValue)
      let name = try #require(object["name"]?.stringValue)
      #expect(!name.isEmpty && names.insert(name).inserted, "\(name): unique, non-empty name")
      #expect(
        extensionsOnly(
          object,
          allowed: [
            "name", "description", "summary", "servers", "tags", "paramStructure", "params",
            "result", "errors", "links", "examples", "deprecated", "externalDocs",
          ]
        ).isEmpty, "\(name)")
      #expect(object["paramStructure"]?.stringValue == "by-name", "\(name)")
      let params = try #require(object["params"]?.arrayValue, "\(name): params")
      var paramNames = Set<String>()
      for param in params {
        if param["$ref"] != nil { #expect(param.objectValue?.count == 1, "\(name): a reference object has only $ref") }
        let descriptor = try #require(resolve(param, in: document)?.objectValue, "\(name): param resolves")
        let paramName = try #require(descriptor["name"]?.stringValue)
        #expect(paramNames.insert(paramName).inserted, "\(name).\(paramName) unique")
        #expect(descriptor["schema"] != nil, "\(name).\(paramName) has a schema")
        #expect(
          extensionsOnly(descriptor, allowed: ["name", "description", "summary", "schema", "required", "deprecated"])
            .isEmpty)
      }
      if object["x-notification"]?.boolValue == true {
        #expect(object["result"] == nil, "\(name): a notification has no result")
      } else {
        let result = try #require(object["result"].flatMap { resolve($0, in: document) }, "\(name): result")
        #expect(result["name"]?.stringValue != nil && result["schema"] != nil, "\(name): result content descriptor")
      }
      var codes = Set<Int>()
      for error in object["errors"]?.arrayValue ?? [] {
        let resolved = try #require(resolve(error, in: document), "\(name): error resolves")
        let code = try #require(resolved["code"]?.intValue)
        #expect(resolved["message"]?.stringValue != nil)
        #expect(codes.insert(code).inserted, "\(name): error codes unique")
      }
      if object["x-radar-path"] != nil { #expect(codes.contains(-32602), "\(name) documents invalid params") }
      for example in object["examples"]?.arrayValue ?? [] {
        #expect(example["name"]?.stringValue != nil)
        for param in example["params"]?.arrayValue ?? [] {
          #expect(paramNames.contains(param["name"]?.stringValue ?? ""), "\(name): example param is a param")
          #expect(param["value"] != nil)
        }
      }
    }
    // Every method and notification of the contract, and every error code.
    let contractMethods: Set<String> = [
      "radar.ct.timeseriesGroups", "radar.leakedCredentialChecks.timeseriesGroups", "radar.netflows.timeseriesGroups",
      "initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "rpc.discover", "server.stats",
      "radar.subscribe", "radar.unsubscribe",
    ]
    #expect(names == contractMethods)
    let codes = Set(errorComponents.map { $0.value["code"]?.intValue ?? 0 })
    // The contract's codes, plus LSP's ServerCancelled (drain deadline) and our subscription limit.
    #expect(codes == [-32700, -32600, -32601, -32602, -32603, -32800, -32802, -32001, -32003, -32004, -32005, -32006])
    for (_, error) in errorComponents {
      #expect(extensionsOnly(error.objectValue ?? [:], allowed: ["code", "message", "data"]).isEmpty == true)
    }
    let notifications = root["x-notifications"]?["notifications"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
    #expect(notifications == ["$/progress", "radar/update"])
  }

  @Test func everyReferenceResolves() throws {
    let document = try JSONParser.parse(try Self.fileText())
    var unresolved: [String] = []
    func walk(_ value: JSONValue, _ path: String) {
      switch value {
      case .object(let object):
        if let reference = object["$ref"]?.stringValue, resolve(value, in: document) == nil {
          unresolved.append("\(path): \(reference)")
        }
        for (key, member) in object { walk(member, path + "/" + key) }
      case .array(let elements):
        for (index, element) in elements.enumerated() { walk(element, "\(path)/\(index)") }
      default: break
      }
    }
    walk(document, "")
    #expect(unresolved.isEmpty)
  }

  @Test func radarParamsFollowTheSpecOrder() throws {
    // Canonical query order is document order, which keeps the OpenAPI fragments' order.
    #expect(
      Fixtures.netflows.parameterNames == [
        "dimension", "aggInterval", "name", "dateRange", "dateStart", "dateEnd", "asn", "location", "continent",
        "geoId",
        "limitPerGroup", "normalization", "product", "format", "series", "workDoneToken", "partialResultToken",
      ])
    #expect(
      Fixtures.leaked.parameterNames == [
        "dimension", "aggInterval", "name", "dateRange", "dateStart", "dateEnd", "asn", "location", "continent",
        "botClass",
        "compromised", "checkResult", "limitPerGroup", "normalization", "format", "series", "workDoneToken",
        "partialResultToken",
      ])
    #expect(
      Fixtures.ct.parameterNames.prefix(7) == [
        "dimension", "aggInterval", "name", "dateRange", "dateStart", "dateEnd", "limitPerGroup",
      ])
  }
}
