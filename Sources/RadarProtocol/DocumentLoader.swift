import JSON

/// Reads an OpenRPC document into methods and Radar methods, compiling every params and result
/// schema once. Everything the server later relies on is checked here, so a document that
/// cannot be served fails at start-up with a ``DocumentError`` that says where.
struct DocumentLoader {
  private(set) var compiler: SchemaCompiler
  private(set) var methods: [DocumentMethod] = []
  /// Radar methods, before the schema set is frozen.
  private var radarDrafts:
    [(
      name: String, template: String, parameters: [RadarParameter], segments: [RadarMethod.PathTemplateSegment],
      rules: [CrossParameterRule]
    )] = []

  init(document: JSONValue) { compiler = SchemaCompiler(document: document) }

  /// Loads `document`: the methods, then the Radar methods bound to the frozen schema set.
  static func load(_ document: JSONValue) throws(DocumentError)
    -> (methods: [DocumentMethod], radar: [RadarMethod], schemas: SchemaSet)
  {
    var loader = DocumentLoader(document: document)
    try loader.loadMethods()
    let schemas = loader.compiler.finish()
    let radar = loader.radarDrafts.map {
      RadarMethod(
        name: $0.name, pathTemplate: $0.template, parameters: $0.parameters, pathSegments: $0.segments,
        rules: $0.rules, schemas: schemas)
    }
    return (loader.methods, radar, schemas)
  }

  private mutating func loadMethods() throws(DocumentError) {
    let document = compiler.document
    guard case .object(let root) = document else { throw DocumentError("the document must be an object", at: "") }
    guard root["openrpc"]?.stringValue != nil else {
      throw DocumentError("openrpc (a version string) is required", at: "/openrpc")
    }
    guard root["info"]?.objectValue != nil else { throw DocumentError("info is required", at: "/info") }
    guard let methodList = root["methods"]?.arrayValue else {
      throw DocumentError("methods must be an array", at: "/methods")
    }
    var names = Set<String>()
    for (position, entry) in methodList.enumerated() {
      let here = "/methods/\(position)"
      let method = try resolveObject(entry, at: here)
      guard let name = method["name"]?.stringValue, !name.isEmpty else {
        throw DocumentError("a method needs a name", at: here)
      }
      guard names.insert(name).inserted else { throw DocumentError("method \(name) appears twice", at: here) }
      try loadMethod(name, method, at: here)
    }
  }

  private mutating func loadMethod(_ name: String, _ method: JSONObject, at here: String) throws(DocumentError) {
    guard let paramList = method["params"]?.arrayValue else {
      throw DocumentError("params must be an array", at: here + "/params")
    }
    var params: [DocumentMethod.Param] = []
    var descriptors: [(JSONObject, SchemaID, String)] = []
    for (position, entry) in paramList.enumerated() {
      let at = "\(here)/params/\(position)"
      let descriptor = try resolveObject(entry, at: at)
      guard let paramName = descriptor["name"]?.stringValue, let schema = descriptor["schema"] else {
        throw DocumentError("a content descriptor needs a name and a schema", at: at)
      }
      guard !params.contains(where: { $0.name == paramName }) else {
        throw DocumentError("param \(paramName) appears twice", at: at)
      }
      let id = try compiler.compile(schema, at: at + "/schema")
      params.append(
        DocumentMethod.Param(name: paramName, required: descriptor["required"]?.boolValue ?? false, schema: id))
      descriptors.append((descriptor, id, at))
    }
    var result: SchemaID?
    if let entry = method["result"] {
      let descriptor = try resolveObject(entry, at: here + "/result")
      guard let schema = descriptor["schema"] else {
        throw DocumentError("a result needs a schema", at: here + "/result")
      }
      result = try compiler.compile(schema, at: here + "/result/schema")
    }
    let isNotification = method["x-notification"]?.boolValue ?? false
    guard isNotification || result != nil else {
      throw DocumentError("a method that is not a notification needs a result", at: here)
    }
    methods.append(
      DocumentMethod(
        name: name, params: params, result: result, isNotification: isNotification,
        ignoresUnknownParams: method["x-ignore-unknown-params"]?.boolValue ?? false))
    if let template = method["x-radar-path"] {
      guard let template = template.stringValue, template.hasPrefix("/") else {
        throw DocumentError("x-radar-path must be a path starting with /", at: here + "/x-radar-path")
      }
      try loadRadarMethod(name, template: template, descriptors, rules: method["x-radar-rules"], at: here)
    }
  }

  // MARK: - Radar methods

  private mutating func loadRadarMethod(
    _ name: String, template: String, _ descriptors: [(JSONObject, SchemaID, String)], rules ruleList: JSONValue?,
    at here: String
  ) throws(DocumentError) {
    var parameters: [RadarParameter] = []
    for (descriptor, schema, at) in descriptors {
      parameters.append(try radarParameter(descriptor, schema, at: at))
    }
    guard parameters.filter({ $0.placement == .series }).count <= 1 else {
      throw DocumentError("at most one parameter may have x-radar-in: series", at: here)
    }
    for role in [RadarParameter.DateRole.start, .end, .range] where parameters.filter({ $0.dateRole == role }).count > 1
    {
      throw DocumentError("at most one parameter may have x-radar-date: \(role.rawValue)", at: here)
    }
    let segments = try pathSegments(template, parameters, at: here + "/x-radar-path")
    var rules: [CrossParameterRule] = []
    if let ruleList {
      guard let entries = ruleList.arrayValue else {
        throw DocumentError("must be an array", at: here + "/x-radar-rules")
      }
      for (position, entry) in entries.enumerated() {
        rules.append(
          try CrossParameterRule(entry, names: parameters.map(\.name), at: "\(here)/x-radar-rules/\(position)"))
      }
    }
    radarDrafts.append((name, template, parameters, segments, rules))
  }

  private mutating func radarParameter(_ descriptor: JSONObject, _ schema: SchemaID, at: String) throws(DocumentError)
    -> RadarParameter
  {
    let name = descriptor["name"]?.stringValue ?? ""
    let placementText = descriptor["x-radar-in"]?.stringValue ?? "query"
    guard let placement = RadarParameter.Placement(rawValue: placementText) else {
      throw DocumentError("x-radar-in must be path, query, series or local", at: at)
    }
    let perSeries = descriptor["x-radar-series"]?.boolValue ?? false
    let isList = descriptor["x-radar-list"]?.boolValue ?? false
    var dateRole: RadarParameter.DateRole?
    if let roleText = descriptor["x-radar-date"] {
      guard let role = roleText.stringValue.flatMap(RadarParameter.DateRole.init(rawValue:)) else {
        throw DocumentError("x-radar-date must be start, end or range", at: at)
      }
      dateRole = role
    }
    guard !perSeries || placement == .query else {
      throw DocumentError("only query parameters can be per series", at: at)
    }
    guard !isList || perSeries else { throw DocumentError("x-radar-list needs x-radar-series", at: at) }
    guard dateRole == nil || perSeries else { throw DocumentError("x-radar-date needs x-radar-series", at: at) }
    var element: SchemaID?
    if perSeries {
      guard let items = arrayBranchItems(schema) else {
        throw DocumentError(
          "a per-series parameter's schema must be anyOf [E, {type: array, items: E}] (one value or one per series)",
          at: at + "/schema")
      }
      element = items
    }
    let valueSchema = compiler.nodeResolved(element ?? schema)
    let choices = valueSchema.enumValues?.compactMap(\.stringValue) ?? []
    if placement == .path {
      guard descriptor["required"]?.boolValue == true, !choices.isEmpty || valueSchema.types == .string else {
        throw DocumentError("a path parameter must be required and a string", at: at)
      }
    }
    return RadarParameter(
      name: name, placement: placement, required: descriptor["required"]?.boolValue ?? false, perSeries: perSeries,
      isList: isList, dateRole: dateRole, schema: schema, element: element,
      isDateTime: valueSchema.format == .dateTime, choices: choices)
  }

  /// The `items` of the array branch of a per-series schema (`anyOf`/`oneOf` of a value and an array of values).
  private func arrayBranchItems(_ schema: SchemaID) -> SchemaID? {
    let node = compiler.nodeResolved(schema)
    for branch in node.anyOf + node.oneOf {
      let candidate = compiler.nodeResolved(branch)
      if candidate.types == .array, let items = candidate.items { return items }
    }
    return nil
  }

  /// `/radar/ct/timeseries_groups/{dimension}` → literal, parameter; every `{name}` must be a
  /// path parameter and every path parameter must appear.
  private func pathSegments(_ template: String, _ parameters: [RadarParameter], at: String) throws(DocumentError)
    -> [RadarMethod.PathTemplateSegment]
  {
    var segments: [RadarMethod.PathTemplateSegment] = []
    var used = Set<Int>()
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      if open > rest.startIndex { segments.append(.literal(String(rest[..<open]))) }
      guard let close = rest[open...].firstIndex(of: "}") else { throw DocumentError("unclosed { in the path", at: at) }
      let name = String(rest[rest.index(after: open)..<close])
      guard let index = parameters.firstIndex(where: { $0.name == name && $0.placement == .path }) else {
        throw DocumentError("{\(name)} has no parameter with x-radar-in: path", at: at)
      }
      segments.append(.parameter(index))
      used.insert(index)
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { segments.append(.literal(String(rest))) }
    for (index, parameter) in parameters.enumerated() where parameter.placement == .path && !used.contains(index) {
      throw DocumentError("path parameter \(parameter.name) does not appear in the path", at: at)
    }
    return segments
  }

  // MARK: - References

  /// An object, or the object a `{"$ref": "#/…"}` in its place points at.
  private func resolveObject(_ value: JSONValue, at path: String) throws(DocumentError) -> JSONObject {
    var current = value
    for _ in 0..<16 {
      guard case .object(let object) = current else { throw DocumentError("must be an object", at: path) }
      guard let reference = object["$ref"]?.stringValue else { return object }
      guard let target = compiler.resolve(reference) else {
        throw DocumentError("$ref \(reference) does not resolve in the document", at: path)
      }
      current = target
    }
    throw DocumentError("$ref chain too long", at: path)
  }
}
