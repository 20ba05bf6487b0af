public import JSON

/// What the server writes: responses and notifications as JSON values.
public enum Outgoing {
  public static func response(id: RequestID, result: JSONValue) -> JSONValue {
    .object(JSONObject(uniqueMembers: [.init("jsonrpc", "2.0"), .init("id", id.json), .init("result", result)]))
  }

  public static func response(id: RequestID?, error: ResponseError) -> JSONValue {
    .object(
      JSONObject(uniqueMembers: [.init("jsonrpc", "2.0"), .init("id", id?.json ?? .null), .init("error", error.json)]))
  }

  public static func response(id: RequestID, _ outcome: Result<JSONValue, ResponseError>) -> JSONValue {
    switch outcome {
    case .success(let result): response(id: id, result: result)
    case .failure(let error): response(id: id, error: error)
    }
  }

  public static func notification(method: String, params: JSONValue?) -> JSONValue {
    var members: [JSONObject.Member] = [.init("jsonrpc", "2.0"), .init("method", .string(method))]
    if let params { members.append(.init("params", params)) }
    return .object(JSONObject(uniqueMembers: members))
  }
}
