public import JSON

/// What the server writes: responses and notifications as JSON values.
public enum Outgoing {
  public static func response(id: RequestID, result: JSONValue) -> JSONValue {
    .object(JSONObject(uniqueMembers: [("jsonrpc", "2.0"), ("id", id.json), ("result", result)]))
  }

  public static func response(id: RequestID?, error: ResponseError) -> JSONValue {
    .object(JSONObject(uniqueMembers: [("jsonrpc", "2.0"), ("id", id?.json ?? .null), ("error", error.json)]))
  }

  public static func response(id: RequestID, _ outcome: Result<JSONValue, ResponseError>) -> JSONValue {
    switch outcome {
    case .success(let result): response(id: id, result: result)
    case .failure(let error): response(id: id, error: error)
    }
  }

  public static func notification(method: String, params: JSONValue?) -> JSONValue {
    var members: [JSONObject.Member] = [("jsonrpc", "2.0"), ("method", .string(method))]
    if let params { members.append(("params", params)) }
    return .object(JSONObject(uniqueMembers: members))
  }
}
