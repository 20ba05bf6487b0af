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
  let parameterIndex: [String: Int]
  let pathSegments: [PathTemplateSegment]
  let seriesParameter: Int?
  let schemas: SchemaSet

  enum PathTemplateSegment: Sendable {
    case literal(String)
    case parameter(Int)
  }

  init(name: String, pathTemplate: String, parameters: [RadarParameter], pathSegments: [PathTemplateSegment], schemas: SchemaSet) {
    self.name = name
    self.pathTemplate = pathTemplate
    self.parameters = parameters
    self.pathSegments = pathSegments
    self.schemas = schemas
    var index: [String: Int] = [:]
    for (position, parameter) in parameters.enumerated() { index[parameter.name] = position }
    parameterIndex = index
    seriesParameter = parameters.firstIndex { $0.placement == .series }
    dimensions = parameters.first { $0.placement == .path && $0.name == "dimension" }?.choices ?? []
  }

  /// Every parameter name, in document order (the canonical query order).
  public var parameterNames: [String] { parameters.map(\.name) }

  /// Validates `params` and builds the canonical request: scalars widened, list filters joined,
  /// the `series` form expanded, dates in UTC, tokens removed, query items in document order.
  ///
  /// - Parameter pointerPrefix: prepended to every violation's path, so `radar.subscribe` can
  ///   report `/params/aggInterval`.
  /// - Throws: ``InvalidParams`` with every violation found.
  public func makeRequest(params: JSONValue?, pointerPrefix: String = "") throws(InvalidParams) -> RadarRequest {
    var canonicalizer = RequestCanonicalizer(method: self, prefix: pointerPrefix)
    return try canonicalizer.makeRequest(params)
  }
}
