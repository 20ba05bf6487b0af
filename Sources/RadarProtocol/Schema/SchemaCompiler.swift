import JSON

/// Turns the JSON Schemas of an OpenRPC document into a ``SchemaSet``, once, at start-up.
///
/// `$ref` may point anywhere in the document (`#/components/schemas/…`); each target is
/// compiled once however often it is referenced, and cycles are fine. A keyword that would
/// constrain values but is not implemented (`not`, `if`, `patternProperties`, …) is an error,
/// so the validator never silently accepts what the document forbids.
struct SchemaCompiler {
  let document: JSONValue
  private(set) var nodes: [SchemaDraft] = []
  private var compiledReferences: [String: SchemaID] = [:]

  /// Keywords that only describe.
  private static let annotations: Set<String> = [
    "description", "title", "examples", "example", "default", "deprecated", "readOnly", "writeOnly", "$comment",
    "$schema", "$id", "summary",
  ]
  /// Keywords that constrain values and that this compiler does not implement.
  private static let unsupported: Set<String> = [
    "not", "if", "then", "else", "patternProperties", "propertyNames", "dependencies", "dependentRequired",
    "dependentSchemas", "contains", "uniqueItems", "multipleOf", "minProperties", "maxProperties",
    "additionalItems", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "contentMediaType",
  ]

  init(document: JSONValue) { self.document = document }

  func finish() -> SchemaSet { SchemaSet(drafts: nodes) }

  /// The node `id` ends at after following `$ref`s, while compiling (before ``finish()``).
  func nodeResolved(_ id: SchemaID) -> SchemaDraft {
    var node = nodes[id.index]
    var steps = 0
    while let reference = node.reference, steps < 64 {
      node = nodes[reference.index]
      steps += 1
    }
    return node
  }

  /// Compiles `schema`, found at `path` in the document (for error messages).
  mutating func compile(_ schema: JSONValue, at path: String) throws(DocumentError) -> SchemaID {
    let id = SchemaID(index: nodes.count)
    nodes.append(SchemaDraft())
    let node = try makeNode(schema, at: path)
    nodes[id.index] = node
    return id
  }

  /// Compiles the target of a local reference such as `#/components/schemas/DateTime`.
  mutating func compileReference(_ reference: String, at path: String) throws(DocumentError) -> SchemaID {
    if let known = compiledReferences[reference] { return known }
    guard let target = resolve(reference) else {
      throw DocumentError("$ref \(reference) does not resolve in the document", at: path)
    }
    // Reserve the slot first so a schema that refers to itself terminates.
    let id = SchemaID(index: nodes.count)
    nodes.append(SchemaDraft())
    compiledReferences[reference] = id
    nodes[id.index] = try makeNode(target, at: String(reference.dropFirst()))
    return id
  }

  /// The value a local `#/…` reference points at.
  func resolve(_ reference: String) -> JSONValue? {
    guard let tokens = JSONPointer.tokens(ofLocalReference: reference) else { return nil }
    var current = document
    for token in tokens {
      switch current {
      case .object(let object):
        guard let next = object[token] else { return nil }
        current = next
      case .array(let array):
        guard let index = Int(token), array.indices.contains(index) else { return nil }
        current = array[index]
      default:
        return nil
      }
    }
    return current
  }

  private mutating func makeNode(_ schema: JSONValue, at path: String) throws(DocumentError) -> SchemaDraft {
    var node = SchemaDraft()
    switch schema {
    case .bool(true): return node
    case .bool(false):
      node.enumValues = []
      return node
    case .object: break
    default: throw DocumentError("a schema must be an object or a boolean", at: path)
    }
    guard case .object(let object) = schema else { return node }
    for (keyword, value) in object {
      let here = path + "/" + JSONPointer.escape(keyword)
      if keyword.hasPrefix("x-") || Self.annotations.contains(keyword) { continue }
      if Self.unsupported.contains(keyword) {
        throw DocumentError("schema keyword \"\(keyword)\" is not supported by radar-rpc's validator", at: here)
      }
      switch keyword {
      case "$ref":
        guard let reference = value.stringValue, reference.hasPrefix("#") else {
          throw DocumentError("only local references (#/…) are supported", at: here)
        }
        node.reference = try compileReference(reference, at: here)
      case "type":
        node.types = try types(value, at: here)
      case "enum":
        guard let values = value.arrayValue else { throw DocumentError("enum must be an array", at: here) }
        node.enumValues = values
      case "const":
        node.constValue = value
      case "items":
        guard value.arrayValue == nil else { throw DocumentError("tuple-form items is not supported", at: here) }
        node.items = try compile(value, at: here)
      case "minItems": node.minItems = try count(value, at: here)
      case "maxItems": node.maxItems = try count(value, at: here)
      case "minLength": node.minLength = try count(value, at: here)
      case "maxLength": node.maxLength = try count(value, at: here)
      case "minimum": node.minimum = try number(value, at: here)
      case "maximum": node.maximum = try number(value, at: here)
      case "exclusiveMinimum": node.exclusiveMinimum = try number(value, at: here)
      case "exclusiveMaximum": node.exclusiveMaximum = try number(value, at: here)
      case "properties":
        guard let members = value.objectValue else { throw DocumentError("properties must be an object", at: here) }
        for (name, member) in members {
          node.properties.append((name, try compile(member, at: here + "/" + JSONPointer.escape(name))))
        }
      case "required":
        guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
          throw DocumentError("required must be an array of strings", at: here)
        }
        node.required = names
      case "additionalProperties":
        switch value {
        case .bool(true): node.additional = .allowed
        case .bool(false): node.additional = .forbidden
        default: node.additional = .schema(try compile(value, at: here))
        }
      case "anyOf": node.anyOf = try branches(value, at: here)
      case "oneOf": node.oneOf = try branches(value, at: here)
      case "allOf": node.allOf = try branches(value, at: here)
      case "pattern":
        guard let source = value.stringValue else { throw DocumentError("pattern must be a string", at: here) }
        do {
          node.pattern = try Pattern(source)
        } catch {
          throw DocumentError(error.message, at: here)
        }
      case "format":
        // Formats other than date-time annotate only (JSON Schema makes format assertion optional).
        if value.stringValue == "date-time" { node.format = .dateTime }
      default:
        throw DocumentError("unknown schema keyword \"\(keyword)\"", at: here)
      }
    }
    if case .object(let object) = schema, let hint = object["x-pattern-description"]?.stringValue {
      node.patternDescription = hint
    }
    return node
  }

  private func types(_ value: JSONValue, at path: String) throws(DocumentError) -> TypeSet {
    let names: [JSONValue] = value.arrayValue ?? [value]
    var set = TypeSet()
    for name in names {
      guard let text = name.stringValue, let type = TypeSet(name: text) else {
        throw DocumentError("unknown type \(name)", at: path)
      }
      set.formUnion(type == .number ? [.number, .integer] : type)
    }
    return set
  }

  private func count(_ value: JSONValue, at path: String) throws(DocumentError) -> Int {
    guard let count = value.intValue, count >= 0 else {
      throw DocumentError("must be a non-negative integer", at: path)
    }
    return count
  }

  private func number(_ value: JSONValue, at path: String) throws(DocumentError) -> Double {
    guard let number = value.doubleValue else { throw DocumentError("must be a number", at: path) }
    return number
  }

  private mutating func branches(_ value: JSONValue, at path: String) throws(DocumentError) -> [SchemaID] {
    guard let schemas = value.arrayValue, !schemas.isEmpty else {
      throw DocumentError("must be a non-empty array of schemas", at: path)
    }
    var ids: [SchemaID] = []
    for (index, schema) in schemas.enumerated() { ids.append(try compile(schema, at: "\(path)/\(index)")) }
    return ids
  }
}
