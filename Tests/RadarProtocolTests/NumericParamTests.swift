import JSON
import Testing

@testable import RadarProtocol

/// Contract §7: every number a method takes has a bound in its schema, and a number from outside
/// is range-checked before it becomes an integer. For every numeric param the document describes
/// (found by walking it, so a new one is covered the day it is added), numbers at and past every
/// integer width: inside the range and integral, accepted; otherwise exactly one violation, at
/// the param's path, naming the range when the number is integral. Nothing traps.
@Suite struct NumericParamTests {
  static let table = MethodTable.embedded

  /// 2^bits - 1, 2^bits, 2^bits + 1 and their negatives for 8…64 bits and 2^53, numbers past any
  /// width, exponents, fractions, and the edges of the ranges the document uses.
  static let literals: [String] = {
    var literals: Set<String> = [
      "0", "-0", "1", "2", "-1", "1.5", "0.5", "1e2", "2E0", "1e308", "1e400", "-1e400", "1e-400", "86400", "86401",
      "10000", "10001", "99999999999999999999999", "1" + String(repeating: "0", count: 400),
    ]
    for bits in [7, 8, 15, 16, 31, 32, 53, 63, 64] {
      let power = bits == 64 ? "18446744073709551616" : String(UInt64(1) << UInt64(bits))
      let below = bits == 64 ? "18446744073709551615" : String((UInt64(1) << UInt64(bits)) - 1)
      let above = bits == 64 ? "18446744073709551617" : String((UInt64(1) << UInt64(bits)) + 1)
      for literal in [power, below, above] { literals.formUnion([literal, "-" + literal]) }
    }
    return literals.sorted()
  }()

  /// A numeric param: its method, name, bounds and whether it must be an integer.
  struct NumericParam: CustomStringConvertible {
    let method: String
    let name: String
    let minimum: Double
    let maximum: Double
    let integer: Bool
    var description: String { "\(method) \(name)" }
  }

  /// Follows `{"$ref": "#/…"}` in the document until a value that is not a reference.
  static func resolve(_ value: JSONValue) -> JSONValue {
    var value = value
    var hops = 0
    while let ref = value["$ref"]?.stringValue, ref.hasPrefix("#/"), hops < 16 {
      var target = table.document
      for token in ref.dropFirst(2).split(separator: "/") { target = target[String(token)] ?? .null }
      value = target
      hops += 1
    }
    return value
  }

  /// Every param of every method whose schema is a number or integer (alone or beside other types).
  static let numericParams: [NumericParam] = {
    var found: [NumericParam] = []
    for method in table.document["methods"]?.arrayValue ?? [] {
      for param in (method["params"]?.arrayValue ?? []).map(resolve) {
        let schema = resolve(param["schema"] ?? .null)
        let types =
          schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? schema["type"]?.stringValue.map { [$0] } ?? []
        guard types.contains("integer") || types.contains("number"), let name = param["name"]?.stringValue else {
          continue
        }
        found.append(
          NumericParam(
            method: method["name"]?.stringValue ?? "?", name: name,
            minimum: schema["minimum"]?.doubleValue ?? -.infinity, maximum: schema["maximum"]?.doubleValue ?? .infinity,
            integer: !types.contains("number")))
      }
    }
    return found
  }()

  /// Valid values for the required params of the methods that have numeric ones (besides the
  /// first value of an enum).
  static let base: [String: JSONValue] = [
    "method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA"], "id": 1,
  ]

  static func violations(_ param: NumericParam, _ number: JSONValue) -> [Violation] {
    var params: JSONObject = [:]
    let method = table.document["methods"]?.arrayValue?.first { $0["name"]?.stringValue == param.method }
    for descriptor in (method?["params"]?.arrayValue ?? []).map(resolve) where descriptor["required"] == true {
      guard let name = descriptor["name"]?.stringValue, name != param.name else { continue }
      guard let value = resolve(descriptor["schema"] ?? .null)["enum"]?.arrayValue?.first ?? base[name] else {
        Issue.record("no base value for the required param \(name) of \(param.method)")
        continue
      }
      params[name] = value
    }
    params[param.name] = number
    if let radar = table.radarMethod(named: param.method) {
      do {
        _ = try radar.makeRequest(params: .object(params))
        return []
      } catch {
        return error.violations
      }
    }
    return table.paramViolations(method: param.method, params: .object(params))
  }

  @Test func everyNumericParamHasABound() {
    let names = Set(Self.numericParams.map(\.description))
    #expect(names.isSuperset(of: ["radar.ct.timeseriesGroups limitPerGroup", "radar.subscribe intervalSeconds"]))
    for param in Self.numericParams {
      #expect(param.minimum.isFinite && param.maximum.isFinite, "\(param) has no bound in its schema")
    }
  }

  @Test func numbersAtEveryIntegerWidthInEveryNumericParam() throws {
    #expect(Self.numericParams.count >= 6, "\(Self.numericParams)")
    for param in Self.numericParams {
      // What a value inside the range gets: nothing, or the cross-parameter rules that hold for
      // any value (limitPerGroup on an endpoint whose dimensions all have two groups).
      let inRange = Self.violations(param, .number(JSONNumber(Int(param.minimum)))).map(\.description)
      #expect(inRange.allSatisfy { $0.hasPrefix("/\(param.name):") }, "\(param): \(inRange)")
      for literal in Self.literals {
        let found = Self.violations(param, .number(try #require(JSONNumber(literal: literal))))
        let value = Double(literal)!
        let integral = value.isFinite && value == value.rounded()
        let accepted = (integral || !param.integer) && (param.minimum...param.maximum).contains(value)
        if accepted {
          #expect(found.map(\.description) == inRange, "\(param) = \(literal): \(found)")
          continue
        }
        #expect(found.map(\.path) == ["/\(param.name)"], "\(param) = \(literal): \(found)")
        if integral {
          let range = "from \(ViolationText.number(param.minimum)) to \(ViolationText.number(param.maximum))"
          #expect(found.first?.message.contains(range) == true, "\(param) = \(literal): \(found)")
        }
      }
    }
  }
}
