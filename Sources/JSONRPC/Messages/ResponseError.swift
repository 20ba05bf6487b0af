public import JSON

/// The `error` member of a JSON-RPC response: a code, a message for people, optional data.
public struct ResponseError: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: ErrorCode
  public var message: String
  public var data: JSONValue?

  public init(_ code: ErrorCode, _ message: String, data: JSONValue? = nil) {
    self.code = code
    self.message = message
    self.data = data
  }

  public var json: JSONValue {
    var object: JSONObject = ["code": .number(JSONNumber(code.rawValue)), "message": .string(message)]
    if let data { object["data"] = data }
    return .object(object)
  }

  public var description: String { "\(code.rawValue) \(message)" }

  public static func parseError(_ detail: String) -> ResponseError {
    ResponseError(.parseError, "Parse error: \(detail)")
  }

  public static func invalidRequest(_ detail: String) -> ResponseError {
    ResponseError(.invalidRequest, "Invalid Request: \(detail)")
  }

  public static func methodNotFound(_ method: String, didYouMean: [String] = []) -> ResponseError {
    var data: JSONObject = ["method": .string(method)]
    var message = "Method not found: \(method)"
    if !didYouMean.isEmpty {
      data["didYouMean"] = .array(didYouMean.map { .string($0) })
      message += " (did you mean \(didYouMean.map { "\"\($0)\"" }.joined(separator: " or "))?)"
    }
    return ResponseError(.methodNotFound, message, data: .object(data))
  }

  public static let cancelled = ResponseError(.requestCancelled, "Request cancelled")

  /// -32802: the server gave up on the request itself (`detail` says why).
  public static func serverCancelled(_ detail: String) -> ResponseError {
    ResponseError(.serverCancelled, "Request cancelled by the server: \(detail)")
  }

  public static func internalError(_ detail: String) -> ResponseError {
    ResponseError(.internalError, "Internal error: \(detail)")
  }
}
