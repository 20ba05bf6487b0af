import JSON

/// Checks a JSON value against a compiled schema and reports every violation, each at its
/// JSON Pointer, with a message for people and a suggestion where a valid value is close.
///
/// For `anyOf`/`oneOf` it reports only the branch that fits best (the one built for the
/// value's JSON type, then the one with the fewest complaints), so a wrong element of a
/// per-series array reads "/dateRange/1: must be …", not a list of every shape tried.
struct SchemaValidator {
  let schemas: SchemaSet

  /// Appends the violations of `value` against `id` to `violations`.
  func validate(_ value: JSONValue, against id: SchemaID, at path: inout JSONPath, into violations: inout [Violation]) {
    if case .encoded(let encoded) = value {
      validate(encoded.decoded, against: id, at: &path, into: &violations)
      return
    }
    let node = schemas[id]
    if let reference = node.reference {
      validate(value, against: reference, at: &path, into: &violations)
    }
    let type = TypeSet(of: value)
    if let types = node.types, types.isDisjoint(with: type) {
      violations.append(Violation(path: path.pointer, message: "must be \(types.phrase)\(ViolationText.got(value))"))
      return
    }
    if let values = node.enumValues, !values.contains(where: { Self.equal($0, value) }) {
      violations.append(enumViolation(value, values, at: path))
    }
    if let expected = node.constValue, !Self.equal(expected, value) {
      let suggestion = value.stringValue.flatMap { text in
        expected.stringValue.flatMap { Suggestions.closest(to: text, among: [$0]).first }
      }
      violations.append(
        Violation(
          path: path.pointer,
          message:
            "must be \(JSONWriter.string(expected))\(ViolationText.got(value))\(ViolationText.didYouMean(suggestion))",
          suggestion: suggestion))
    }
    switch value {
    case .string(let text): validateString(text, node, at: path, into: &violations)
    case .number(let number): validateNumber(number, node, at: path, into: &violations)
    case .array(let elements): validateArray(elements, node, at: &path, into: &violations)
    case .object(let object): validateObject(object, node, at: &path, into: &violations)
    case .bool, .null, .encoded: break  // never encoded here: resolved above
    }
    for branch in node.allOf { validate(value, against: branch, at: &path, into: &violations) }
    if !node.anyOf.isEmpty { validateBranches(value, node.anyOf, exactlyOne: false, at: &path, into: &violations) }
    if !node.oneOf.isEmpty { validateBranches(value, node.oneOf, exactlyOne: true, at: &path, into: &violations) }
  }

  // MARK: - Keywords by type

  private func validateString(_ text: String, _ node: SchemaNode, at path: JSONPath, into violations: inout [Violation])
  {
    if node.minLength != nil || node.maxLength != nil {
      let length = text.unicodeScalars.count
      if let min = node.minLength, length < min {
        violations.append(
          Violation(path: path.pointer, message: "must be at least \(min) character\(min == 1 ? "" : "s") long"))
      }
      if let max = node.maxLength, length > max {
        violations.append(Violation(path: path.pointer, message: "must be at most \(max) characters long"))
      }
    }
    if let pattern = node.pattern, !pattern.matches(text) {
      let suggestion = [text.lowercased(), text.uppercased()].first { $0 != text && pattern.matches($0) }
      let expectation = node.patternDescription ?? "a string matching the pattern \(pattern.source)"
      violations.append(
        Violation(
          path: path.pointer,
          message: "must be \(expectation)\(ViolationText.got(.string(text)))\(ViolationText.didYouMean(suggestion))",
          suggestion: suggestion))
    }
    if node.format == .dateTime, let date = DateTime(text), !date.isInUTCYears {
      violations.append(
        Violation(
          path: path.pointer,
          message: "must name an instant from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z once in UTC"
            + ViolationText.got(.string(text))))
    } else if node.format == .dateTime, DateTime(text) == nil {
      if DateTime.isLeapSecond(text) {
        violations.append(
          Violation(
            path: path.pointer,
            message: "is a leap second (:60), a time Radar does not have: use :59, or 00 of the next minute"
              + ViolationText.got(.string(text))))
        return
      }
      if let part = DateTime.nonexistentPart(text) {
        violations.append(
          Violation(
            path: path.pointer, message: "is not a date-time that exists: \(part)" + ViolationText.got(.string(text))))
        return
      }
      let suggestion = DateTime.suggestion(for: text)
      violations.append(
        Violation(
          path: path.pointer,
          message: "must be an RFC 3339 date-time with a time-zone offset, such as 2024-01-08T00:00:00Z"
            + "\(ViolationText.got(.string(text)))\(ViolationText.didYouMean(suggestion))",
          suggestion: suggestion))
    }
  }

  private func validateNumber(
    _ number: JSONNumber, _ node: SchemaNode, at path: JSONPath, into violations: inout [Violation]
  ) {
    guard node.minimum != nil || node.maximum != nil || node.exclusiveMinimum != nil || node.exclusiveMaximum != nil,
      let value = number.doubleValue
    else { return }
    func fail(_ message: String) {
      violations.append(Violation(path: path.pointer, message: message + " (got \(number.literal))"))
    }
    if let min = node.minimum, let max = node.maximum, value < min || value > max {
      fail("must be from \(ViolationText.number(min)) to \(ViolationText.number(max))")
    } else {
      if let min = node.minimum, value < min { fail("must be at least \(ViolationText.number(min))") }
      if let max = node.maximum, value > max { fail("must be at most \(ViolationText.number(max))") }
    }
    if let min = node.exclusiveMinimum, value <= min { fail("must be greater than \(ViolationText.number(min))") }
    if let max = node.exclusiveMaximum, value >= max { fail("must be less than \(ViolationText.number(max))") }
  }

  private func validateArray(
    _ elements: [JSONValue], _ node: SchemaNode, at path: inout JSONPath, into violations: inout [Violation]
  ) {
    if let min = node.minItems, elements.count < min {
      violations.append(
        Violation(path: path.pointer, message: "must have at least \(min) element\(min == 1 ? "" : "s")"))
    }
    if let max = node.maxItems, elements.count > max {
      violations.append(Violation(path: path.pointer, message: "must have at most \(max) elements"))
    }
    guard let items = node.items else { return }
    for (index, element) in elements.enumerated() {
      path.with(.index(index)) { path in validate(element, against: items, at: &path, into: &violations) }
    }
  }

  private func validateObject(
    _ object: JSONObject, _ node: SchemaNode, at path: inout JSONPath, into violations: inout [Violation]
  ) {
    for name in node.required where object[name] == nil {
      path.with(.key(name)) { path in
        violations.append(Violation(path: path.pointer, message: "is required" + choices(node.property(name))))
      }
    }
    for (name, member) in object {
      path.with(.key(name)) { path in
        if let schema = node.property(name) {
          validate(member, against: schema, at: &path, into: &violations)
          return
        }
        switch node.additional {
        case .allowed: break
        case .schema(let schema): validate(member, against: schema, at: &path, into: &violations)
        case .forbidden:
          violations.append(ViolationText.unknown("member", name, among: node.properties.map(\.name), at: path.pointer))
        }
      }
    }
  }

  // MARK: - anyOf / oneOf

  private func validateBranches(
    _ value: JSONValue, _ branches: [SchemaID], exactlyOne: Bool, at path: inout JSONPath,
    into violations: inout [Violation]
  ) {
    let type = TypeSet(of: value)
    guard branches.contains(where: { schemas.accepts($0, type: type) }) else {
      let accepted = branches.reduce(into: TypeSet()) { $0.formUnion(schemas.acceptedTypes[$1.index]) }
      violations.append(Violation(path: path.pointer, message: "must be \(accepted.phrase)\(ViolationText.got(value))"))
      return
    }
    var best: [Violation]?
    var matches = 0
    for branch in branches where schemas.accepts(branch, type: type) {
      var found: [Violation] = []
      validate(value, against: branch, at: &path, into: &found)
      if found.isEmpty {
        matches += 1
        if !exactlyOne { return }
      } else if best == nil || Self.fitsBetter(found, than: best!) {
        best = found
      }
    }
    if matches == 1 { return }
    if matches > 1 {
      violations.append(Violation(path: path.pointer, message: "matches more than one of the allowed shapes"))
      return
    }
    violations += best ?? []
  }

  /// Fewer complaints fit better; with as many, deeper ones do (they got further into the value).
  private static func fitsBetter(_ a: [Violation], than b: [Violation]) -> Bool {
    if a.count != b.count { return a.count < b.count }
    func depth(_ violations: [Violation]) -> Int {
      violations.map { $0.path.utf8.count(where: { $0 == UInt8(ascii: "/") }) }.max() ?? 0
    }
    return depth(a) > depth(b)
  }

  // MARK: - Helpers

  private func enumViolation(_ value: JSONValue, _ values: [JSONValue], at path: JSONPath) -> Violation {
    let suggestion = value.stringValue.flatMap {
      Suggestions.closest(to: $0, among: values.compactMap(\.stringValue)).first
    }
    return Violation(
      path: path.pointer,
      message:
        "must be one of \(ViolationText.list(values))\(ViolationText.got(value))\(ViolationText.didYouMean(suggestion))",
      suggestion: suggestion)
  }

  /// ` (one of A, B)` when the schema of a missing member is an enum, else "".
  func choices(_ id: SchemaID?) -> String {
    guard let id, let values = schemas[schemas.resolved(id)].enumValues, !values.isEmpty else { return "" }
    return " (one of \(ViolationText.list(values)))"
  }

  /// JSON equality for `enum`/`const`: numbers by value (`1.0` equals `1`), everything else exactly.
  static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      x.literal == y.literal || (x.doubleValue != nil && x.doubleValue == y.doubleValue)
    case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
    case (.object(let x), .object(let y)):
      x.count == y.count && x.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
    default: a == b
    }
  }
}
