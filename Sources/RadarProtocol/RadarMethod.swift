public import JSON
public import Radar

/// A Radar method of the document: a JSON-RPC name bound to an upstream path template and the
/// parameters that may fill it. Built from the document at start-up; `makeRequest` turns
/// params into the canonical ``RadarRequest`` or reports every violation.
public struct RadarMethod: Sendable {
  /// The JSON-RPC method name, e.g. `radar.netflows.timeseriesGroups`.
  public let name: String
  /// `x-radar-path`, e.g. `/radar/netflows/timeseries_groups/{dimension}`.
  public let pathTemplate: String
  /// The values the `dimension` path parameter accepts, in document order.
  public let dimensions: [String]

  let parameters: [RadarParameter]
  private let names: [String]
  let pathSegments: [PathTemplateSegment]
  let seriesParameter: Int?
  let schemas: SchemaSet
  /// Indices of the parameters by role, worked out once instead of on every request.
  let perSeriesIndices: [Int]
  let queryIndices: [Int]
  let requiredIndices: [Int]
  let dateIndices: (start: Int?, end: Int?, range: Int?)
  /// `x-radar-rules`: the cross-parameter rules Radar documents for this endpoint.
  let rules: [CrossParameterRule]
  /// Per parameter: whether an empty element (the `series` form's gap) is a value its element
  /// schema accepts, as for string filters, where Radar reads it as "no filter".
  let acceptsEmptyElement: [Bool]

  enum PathTemplateSegment: Sendable {
    case literal(String)
    case parameter(Int)
  }

  init(
    name: String, pathTemplate: String, parameters: [RadarParameter], pathSegments: [PathTemplateSegment],
    rules: [CrossParameterRule], schemas: SchemaSet
  ) {
    self.name = name
    self.pathTemplate = pathTemplate
    self.parameters = parameters
    self.pathSegments = pathSegments
    self.schemas = schemas
    names = parameters.map(\.name)
    seriesParameter = parameters.firstIndex { $0.placement == .series }
    dimensions = parameters.first { $0.placement == .path && $0.name == "dimension" }?.choices ?? []
    perSeriesIndices = parameters.indices.filter { parameters[$0].perSeries }
    queryIndices = parameters.indices.filter { parameters[$0].placement == .query }
    requiredIndices = parameters.indices.filter { parameters[$0].required }
    func role(_ role: RadarParameter.DateRole) -> Int? { parameters.firstIndex { $0.dateRole == role } }
    dateIndices = (role(.start), role(.end), role(.range))
    self.rules = rules
    let validator = SchemaValidator(schemas: schemas)
    acceptsEmptyElement = parameters.map { parameter in
      parameter.element.map { element in
        var path = JSONPath(prefix: "")
        var found: [Violation] = []
        validator.validate(.string(""), against: element, at: &path, into: &found)
        return found.isEmpty
      } ?? false
    }
  }

  /// Every parameter name, in document order (the canonical query order).
  public var parameterNames: [String] { names }

  /// The position of the parameter called `name`. A scan of a dozen short names compares
  /// faster than hashing the key (Unicode-normalized) would.
  func parameterIndex(_ name: String) -> Int? { names.firstIndex(of: name) }

  /// Validates `params` and builds the canonical request: scalars widened, list filters joined,
  /// the `series` form expanded, dates in UTC, tokens removed, query items in document order.
  ///
  /// - Parameter pointerPrefix: prepended to every violation's path, so `radar.subscribe` can
  ///   report `/params/aggInterval`.
  /// - Throws: ``InvalidParams`` with every violation found.
  /// - Parameter limits: the most series a request may ask for (`--max-series`, contract §5).
  /// - Parameter invalidUnicode: JSON Pointers, relative to `params`, of strings the JSON parser
  ///   found not valid Unicode (a lone surrogate escape); each is a violation (contract §3).
  public func makeRequest(
    params: JSONValue?, pointerPrefix: String = "", limits: RequestLimits = RequestLimits(),
    invalidUnicode: [String] = []
  ) throws(InvalidParams) -> RadarRequest {
    var canonicalizer = RequestCanonicalizer(method: self, prefix: pointerPrefix, limits: limits)
    return try canonicalizer.makeRequest(params, invalidUnicode: invalidUnicode)
  }
}
