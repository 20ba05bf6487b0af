public import JSON

/// The methods of radar-rpc's OpenRPC document, read at start-up: every method's params and
/// result schema, and the Radar methods (those with `x-radar-path`) with their upstream path.
///
/// The document drives everything: adding a Radar endpoint is adding a method to
/// `protocol/openrpc.json` (then `scripts/regenerate` for the clients' generated files), not
/// writing Swift.
public struct MethodTable: Sendable {
  /// The table of the document embedded in the binary (`protocol/openrpc.json`, compiled in by
  /// SwiftPM's `.embedInCode`), parsed on first use. The document is tested, so failing here is
  /// a build defect.
  public static let embedded: MethodTable = {
    do {
      return try MethodTable(bytes: embeddedDocumentBytes)
    } catch {
      fatalError("the embedded protocol/openrpc.json is not a usable document: \(error)")
    }
  }()

  /// The bytes of the embedded `protocol/openrpc.json` (for start-up measurements and tools).
  public static var embeddedDocumentBytes: [UInt8] { PackageResources.openrpc_json }

  /// The document as loaded, served verbatim by `rpc.discover`.
  public let document: JSONValue
  /// Every method of the document, in document order (notifications included).
  public let methodNames: [String]
  /// The Radar methods, in document order.
  public let radarMethodNames: [String]

  private let methods: [String: DocumentMethod]
  private let radarMethods: [String: RadarMethod]
  private let schemas: SchemaSet

  /// Loads a document; throws when it uses schema features the validator lacks, has a `$ref`
  /// that does not resolve, or a Radar method whose path and params disagree.
  public init(document: JSONValue) throws(DocumentError) {
    let loaded = try DocumentLoader.load(document)
    self.document = document
    methodNames = loaded.methods.map(\.name)
    radarMethodNames = loaded.radar.map(\.name)
    methods = Dictionary(uniqueKeysWithValues: loaded.methods.map { ($0.name, $0) })
    radarMethods = Dictionary(uniqueKeysWithValues: loaded.radar.map { ($0.name, $0) })
    schemas = loaded.schemas
  }

  /// Parses and loads a document from JSON text.
  public init(json: String) throws(DocumentError) {
    try self.init(bytes: Array(json.utf8))
  }

  /// Parses and loads a document from UTF-8 JSON.
  public init(bytes: [UInt8]) throws(DocumentError) {
    let document: JSONValue
    do {
      document = try JSONParser.parse(bytes)
    } catch {
      throw DocumentError("not JSON: \(error)", at: "")
    }
    try self.init(document: document)
  }

  /// The Radar method called `name`, or `nil` when there is none.
  public func radarMethod(named name: String) -> RadarMethod? { radarMethods[name] }

  /// True when the document has a method called `name`.
  public func contains(_ name: String) -> Bool { methods[name] != nil }

  /// True for the client-to-server notifications (`x-notification`): `initialized`, `exit`, `$/cancelRequest`.
  public func isNotification(_ name: String) -> Bool { methods[name]?.isNotification ?? false }

  /// Checks by-name `params` of any method against its content descriptors (names, `required`,
  /// schemas); `[]` when they pass or the method is unknown. Missing, `null`, `{}` and `[]` params
  /// are all "no params". For Radar methods use ``RadarMethod/makeRequest(params:pointerPrefix:)``,
  /// which also knows series semantics.
  public func paramViolations(method name: String, params: JSONValue?, pointerPrefix: String = "") -> [Violation] {
    guard let method = methods[name] else { return [] }
    let object: JSONObject
    switch params {
    case nil, .null: object = JSONObject()
    case .array(let elements) where elements.isEmpty: object = JSONObject()
    case .object(let members): object = members
    case let other?:
      return [
        Violation(
          path: pointerPrefix,
          message: "params must be an object (by name), not \(ViolationText.shortDescription(of: other))")
      ]
    }
    let validator = SchemaValidator(schemas: schemas)
    var violations: [Violation] = []
    var path = JSONPath(prefix: pointerPrefix)
    for (key, value) in object {
      path.with(.key(key)) { path in
        guard let param = method.params.first(where: { $0.name == key }) else {
          guard !method.ignoresUnknownParams else { return }
          violations.append(ViolationText.unknown("parameter", key, among: method.params.map(\.name), at: path.pointer))
          return
        }
        validator.validate(value, against: param.schema, at: &path, into: &violations)
      }
    }
    for param in method.params where param.required && object[param.name] == nil {
      violations.append(
        Violation(
          path: JSONPointer.render(prefix: pointerPrefix, [.key(param.name)]),
          message: "is required" + validator.choices(param.schema)))
    }
    return violations
  }

  /// Checks a result against the method's result schema (for tests and the demo backend); `[]`
  /// when it passes or the method has no result schema.
  public func resultViolations(method name: String, result: JSONValue) -> [Violation] {
    guard let id = methods[name]?.result else { return [] }
    var path = JSONPath(prefix: "")
    var violations: [Violation] = []
    SchemaValidator(schemas: schemas).validate(result, against: id, at: &path, into: &violations)
    return violations
  }
}
