import JSON
import Radar
import Testing

@testable import RadarProtocol

/// Every query parameter of every Radar method, with one valid and one invalid value, both
/// derived from the document's own schemas so the test follows the document when it changes.
@Suite("Every parameter")
struct ParameterCoverageTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let method: String
    let descriptor: JSONValue
    var name: String { descriptor["name"]!.stringValue! }
    var testDescription: String { "\(method) \(name)" }
  }

  static let document = MethodTable.embedded.document

  static func resolve(_ value: JSONValue) -> JSONValue {
    var current = value
    while let reference = current["$ref"]?.stringValue {
      var target = document
      for token in reference.dropFirst(2).split(separator: "/") { target = target[String(token)]! }
      current = target
    }
    return current
  }

  static let cases: [Case] = document["methods"]!.arrayValue!.flatMap { method -> [Case] in
    guard method["x-radar-path"] != nil else { return [] }
    return method["params"]!.arrayValue!.map(resolve).filter { ($0["x-radar-in"]?.stringValue ?? "query") == "query" }
      .map { Case(method: method["name"]!.stringValue!, descriptor: $0) }
  }

  /// A value the schema accepts: its first example, enum value or const, else one of its type.
  static func validValue(_ schema: JSONValue) -> JSONValue {
    let schema = resolve(schema)
    if let example = schema["examples"]?.arrayValue?.first { return example }
    if let first = schema["enum"]?.arrayValue?.first { return first }
    if let constant = schema["const"] { return constant }
    if let branch = schema["anyOf"]?.arrayValue?.first ?? schema["oneOf"]?.arrayValue?.first {
      return validValue(branch)
    }
    switch schema["type"]?.stringValue {
    case "boolean": return true
    case "integer": return .number(JSONNumber(schema["minimum"]?.intValue ?? 1))
    case "array": return [validValue(schema["items"] ?? [:])]
    case "string" where schema["format"]?.stringValue == "date-time": return "2024-01-08T00:00:00Z"
    default: return "some value"
    }
  }

  /// A value the schema rejects: a near miss of the right type where the schema constrains one
  /// (enum, pattern, format, minimum), else a value of the wrong type.
  static func invalidValue(_ schema: JSONValue) -> JSONValue {
    let schema = resolve(schema)
    if let branch = schema["anyOf"]?.arrayValue?.first ?? schema["oneOf"]?.arrayValue?.first {
      let inner = resolve(branch)
      if inner["enum"] != nil || inner["pattern"] != nil || inner["format"] != nil { return invalidValue(inner) }
      return .object(["not": "accepted"])
    }
    if let values = schema["enum"]?.arrayValue, let first = values.first?.stringValue { return .string(first + "_NOT") }
    if schema["pattern"] != nil { return "not-a-match" }
    if schema["format"]?.stringValue == "date-time" { return "yesterday" }
    if let minimum = schema["minimum"]?.intValue { return .number(JSONNumber(minimum - 1)) }
    return schema["type"]?.stringValue == "string" ? 12 : "twelve"
  }

  /// The method's dimension, plus the partner a date bound needs (dateStart goes with dateEnd).
  func baseParams(_ method: RadarMethod, for testCase: Case) -> JSONObject {
    var params: JSONObject = ["dimension": .string(method.dimensions[0])]
    let partner: (role: String, value: JSONValue)? =
      switch testCase.descriptor["x-radar-date"]?.stringValue {
      case "start": ("end", "2024-01-09T00:00:00Z")
      case "end": ("start", "2024-01-01T00:00:00Z")
      default: nil
      }
    if let partner,
      let other = Self.cases.first(where: {
        $0.method == testCase.method && $0.descriptor["x-radar-date"]?.stringValue == partner.role
      })
    {
      params[other.name] = partner.value
    }
    return params
  }

  @Test(arguments: cases)
  func validValue(_ testCase: Case) throws {
    let method = try #require(Fixtures.table.radarMethod(named: testCase.method))
    let rules = Self.document["methods"]!.arrayValue!.first { $0["name"]?.stringValue == testCase.method }?[
      "x-radar-rules"]
    // A value a rule's condition names (PERCENTAGE_CHANGE wants two series) gives way to another of its enum.
    let conditional = Set((rules?.arrayValue ?? []).flatMap { $0["when"]?[testCase.name]?.arrayValue ?? [] })
    var value = Self.validValue(testCase.descriptor["schema"]!)
    if conditional.contains(value),
      let other = Self.resolve(testCase.descriptor["schema"]!)["enum"]?.arrayValue?.first(where: {
        !conditional.contains($0)
      })
    {
      value = other
    }
    var params = baseParams(method, for: testCase)
    let partners = Set(params.keys).subtracting(["dimension"])
    params[testCase.name] = value
    // A parameter an `onlyWhen` rule restricts to some dimensions gets one of them; with none, the rule refuses it.
    if let allowed = rules?.arrayValue?.first(where: {
      $0["rule"] == "onlyWhen" && $0["param"]?.stringValue == testCase.name
    })?["when"]?["dimension"]?.arrayValue {
      guard let dimension = allowed.first else {
        #expect(throws: InvalidParams.self) { try method.makeRequest(params: .object(params)) }
        return
      }
      params["dimension"] = dimension
    }
    let request = try method.makeRequest(params: .object(params))
    #expect(request.values(testCase.name).count == 1, "\(testCase.name) = \(value) is sent once")
    #expect(Set(request.queryItems.map(\.name)) == partners.union([testCase.name]))
    if testCase.descriptor["x-radar-series"]?.boolValue == true {
      // The same value as a one-element array and inside a series object asks for the same request.
      params[testCase.name] = [value]
      #expect(try method.makeRequest(params: .object(params)) == request)
      var object = params
      object.removeValue(forKey: testCase.name)
      object["series"] = [.object([testCase.name: value])]
      #expect(try method.makeRequest(params: .object(object)) == request)
    }
  }

  @Test(arguments: cases)
  func invalidValue(_ testCase: Case) throws {
    let method = try #require(Fixtures.table.radarMethod(named: testCase.method))
    let value = Self.invalidValue(testCase.descriptor["schema"]!)
    var params = baseParams(method, for: testCase)
    params[testCase.name] = value
    let violations = Fixtures.violations(method, .object(params))
    #expect(violations.count == 1, "\(testCase.name) = \(value): \(violations)")
    #expect(violations.first?.path == "/\(testCase.name)")
    #expect(violations.first?.message.isEmpty == false)
    if testCase.descriptor["x-radar-series"]?.boolValue == true {
      params[testCase.name] = [Self.validValue(testCase.descriptor["schema"]!), value]
      #expect(Fixtures.violations(method, .object(params)).paths == ["/\(testCase.name)/1"])
    }
  }

  @Test func coversEveryQueryParameterOfTheFragments() {
    // 23 CT, 14 leaked-credential and 13 NetFlows query parameters (shared/radar-openapi, less the path's dimension).
    let counts = Dictionary(grouping: Self.cases, by: \.method).mapValues(\.count)
    #expect(counts["radar.ct.timeseriesGroups"] == 23)
    #expect(counts["radar.leakedCredentialChecks.timeseriesGroups"] == 14)
    #expect(counts["radar.netflows.timeseriesGroups"] == 13)
  }
}
