import JSON
import RadarProtocol
import Testing

/// The result schemas a running server publishes in `rpc.discover`, as a validator any test can
/// use on any answer: demo answers, live answers, upstream bodies played by the fake.
///
/// It loads the discovered document itself (not the copy compiled into the tests), so what is
/// checked is exactly what a client validating against `rpc.discover` would check.
struct ResultSchema {
  let table: MethodTable

  /// Asks `server` for `rpc.discover` and loads the document it answers.
  static func discover(from server: ServerProcess) async throws -> ResultSchema {
    let document = try #require(await server.call("discover", "rpc.discover")?["result"])
    return ResultSchema(table: try MethodTable(document: document))
  }

  /// Every way `result` fails the result schema of `method`, as `path: message` lines; `[]` when it passes.
  func violations(method: String, result: JSONValue) -> [String] {
    table.resultViolations(method: method, result: result).map(\.description)
  }

  /// The Radar methods of the document and the dimensions each takes.
  var radarMethods: [(name: String, dimensions: [String])] {
    table.radarMethodNames.compactMap { name in table.radarMethod(named: name).map { (name, $0.dimensions) } }
  }
}
