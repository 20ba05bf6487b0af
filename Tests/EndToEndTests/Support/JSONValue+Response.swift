import JSON

/// Reading JSON-RPC answers in assertions.
extension JSONValue {
  /// `error.code` of a response, or nil for a success.
  var errorCode: Int? { self["error"]?["code"]?.intValue }

  /// `params.value.kind` of a `$/progress` notification (`begin`, `report`, `end`).
  var progressKind: String? { self["params"]?["value"]?["kind"]?.stringValue }

  /// Parses `text` in a test, failing loudly on bad JSON (fixtures are written by hand).
  static func parse(_ text: String) -> JSONValue {
    do { return try JSONParser.parse(text) } catch { fatalError("bad JSON in a test: \(error)\n\(text)") }
  }
}
