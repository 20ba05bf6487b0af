import JSON

// The compiled form of the document's schemas, which the validator walks: `TypeSet` (a schema's
// `type`), `SchemaID` (a handle), `SchemaDraft` and `SchemaNode` (one schema, being built and
// built), and `SchemaSet` (every node of the document).

/// The JSON types a schema's `type` keyword can name. `integer` is a number without a
/// fractional part (`1.0` is one); `true` is a boolean, never a number.
struct TypeSet: OptionSet, Sendable, Hashable {
  let rawValue: UInt8

  static let null = TypeSet(rawValue: 1 << 0)
  static let boolean = TypeSet(rawValue: 1 << 1)
  static let integer = TypeSet(rawValue: 1 << 2)
  static let number = TypeSet(rawValue: 1 << 3)
  static let string = TypeSet(rawValue: 1 << 4)
  static let array = TypeSet(rawValue: 1 << 5)
  static let object = TypeSet(rawValue: 1 << 6)
  static let any: TypeSet = [.null, .boolean, .integer, .number, .string, .array, .object]

  /// In the order messages list them.
  static let named: [(TypeSet, String)] = [
    (.string, "string"), (.integer, "integer"), (.number, "number"), (.boolean, "boolean"),
    (.array, "array"), (.object, "object"), (.null, "null"),
  ]

  init(rawValue: UInt8) { self.rawValue = rawValue }

  init?(name: String) {
    guard let entry = TypeSet.named.first(where: { $0.1 == name }) else { return nil }
    self = entry.0
  }

  /// The type of `value`; an integral number is both `integer` and `number`.
  init(of value: JSONValue) {
    switch value {
    case .null: self = .null
    case .bool: self = .boolean
    case .number(let n): self = n.isInteger ? [.integer, .number] : .number
    case .string: self = .string
    case .array: self = .array
    case .object: self = .object
    case .encoded(let encoded): self.init(of: encoded.decoded)
    }
  }

  /// "a string or an array": the article-and-noun form messages use.
  var phrase: String {
    var names: [String] = []
    for (type, name) in TypeSet.named where contains(type) {
      if type == .integer, contains(.number) { continue }  // "number" already covers integers
      names.append(name == "integer" ? "an integer" : name == "array" || name == "object" ? "an \(name)" : "a \(name)")
    }
    if names.count <= 1 { return names.first ?? "nothing" }
    return names.dropLast().joined(separator: ", ") + " or " + names.last!
  }
}

/// Index of a compiled schema in its ``SchemaSet``.
struct SchemaID: Sendable, Hashable {
  let index: Int
}

/// One compiled schema while the compiler fills it in: the keywords of the subset radar-rpc's
/// document uses, checked and converted once so validation never re-reads JSON. Keywords that
/// only annotate (`description`, `examples`, `default`, `title`, `x-…`) are dropped.
struct SchemaDraft: Sendable {
  enum Additional: Sendable {
    case allowed
    case forbidden
    case schema(SchemaID)
  }

  enum Format: Sendable {
    case dateTime
  }

  /// `$ref`, validated alongside any sibling keywords.
  var reference: SchemaID?
  var types: TypeSet?
  var enumValues: [JSONValue]?
  var constValue: JSONValue?
  var items: SchemaID?
  var minItems: Int?
  var maxItems: Int?
  var properties: [(name: String, schema: SchemaID)] = []
  var required: [String] = []
  var additional: Additional = .allowed
  var anyOf: [SchemaID] = []
  var oneOf: [SchemaID] = []
  var allOf: [SchemaID] = []
  var minimum: Double?
  var maximum: Double?
  var exclusiveMinimum: Double?
  var exclusiveMaximum: Double?
  var minLength: Int?
  var maxLength: Int?
  var pattern: Pattern?
  /// `x-pattern-description`: what the pattern means, in words, for messages.
  var patternDescription: String?
  var format: Format?

  func property(_ name: String) -> SchemaID? {
    for property in properties where property.name == name { return property.schema }
    return nil
  }
}

/// A compiled schema, frozen: a class so the validator reads its keywords in place instead of
/// copying a struct of arrays (and their reference counts) at every step.
@dynamicMemberLookup
final class SchemaNode: Sendable {
  let draft: SchemaDraft

  init(_ draft: SchemaDraft) { self.draft = draft }

  subscript<T>(dynamicMember keyPath: KeyPath<SchemaDraft, T>) -> T { draft[keyPath: keyPath] }

  func property(_ name: String) -> SchemaID? { draft.property(name) }
}

/// Every schema compiled from one document, addressed by ``SchemaID``. Immutable once built,
/// so one set is shared by every request on every thread.
final class SchemaSet: Sendable {
  let nodes: [SchemaNode]
  /// Per node: the JSON types a value may have to stand a chance (follows `$ref`, `anyOf`, …),
  /// so `anyOf` can skip branches of the wrong type without building their messages.
  let acceptedTypes: [TypeSet]

  init(drafts: [SchemaDraft]) {
    let nodes = drafts.map(SchemaNode.init)
    self.nodes = nodes
    var memo = [TypeSet?](repeating: nil, count: nodes.count)
    func accepted(_ index: Int, _ visiting: inout Set<Int>) -> TypeSet {
      if let known = memo[index] { return known }
      guard visiting.insert(index).inserted else { return .any }  // a cycle: do not narrow
      defer { visiting.remove(index) }
      let node = nodes[index]
      var types = node.types ?? .any
      if let values = node.enumValues {
        types.formIntersection(values.reduce(into: TypeSet()) { $0.formUnion(TypeSet(of: $1)) })
      }
      if let value = node.constValue { types.formIntersection(TypeSet(of: value)) }
      if let reference = node.reference { types.formIntersection(accepted(reference.index, &visiting)) }
      for branch in node.allOf { types.formIntersection(accepted(branch.index, &visiting)) }
      for group in [node.anyOf, node.oneOf] where !group.isEmpty {
        types.formIntersection(group.reduce(into: TypeSet()) { $0.formUnion(accepted($1.index, &visiting)) })
      }
      if types.contains(.number) { types.insert(.integer) }
      memo[index] = types
      return types
    }
    var visiting = Set<Int>()
    acceptedTypes = nodes.indices.map { accepted($0, &visiting) }
  }

  subscript(id: SchemaID) -> SchemaNode { nodes[id.index] }

  func accepts(_ id: SchemaID, type: TypeSet) -> Bool { !acceptedTypes[id.index].isDisjoint(with: type) }

  /// Follows `$ref` chains to the node they end at (to read keywords such as `format` or `enum`).
  func resolved(_ id: SchemaID) -> SchemaID {
    var current = id
    var steps = 0
    while let reference = nodes[current.index].reference, steps < 64 {
      current = reference
      steps += 1
    }
    return current
  }
}
