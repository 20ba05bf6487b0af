public import JSON

/// A message read from the client, after JSON-RPC 2.0 validation of its envelope.
public enum Message: Sendable {
  case request(JSONRPCRequest)
  case notification(JSONRPCNotification)
  /// A response to a request of ours; the server sends none, so these are logged and dropped.
  case response(id: RequestID)
  /// Not a valid request object; answered -32600 with the id when it could be read.
  case invalid(id: RequestID?, reason: String)

  /// Validates one JSON-RPC message object (not a batch).
  ///
  /// - Parameter loneSurrogates: JSON Pointers into `value` of strings that held a lone
  ///   surrogate escape (``JSONParser/parseMarkingLoneSurrogates(_:maxDepth:)``). Inside
  ///   `params` they travel with the request, for the server to answer -32602 at their paths
  ///   (contract §3); anywhere else the message is invalid (-32600, with its id when readable).
  /// - Parameter paramsBytes: the bytes `params` was parsed from, kept with a request (see
  ///   ``JSONRPCRequest/paramsBytes``).
  public init(_ value: JSONValue, loneSurrogates: [String] = [], paramsBytes: [UInt8]? = nil) {
    self.init(validating: value)
    if let paramsBytes, loneSurrogates.isEmpty, case .request(let request) = self, request.params != nil {
      self = .request(
        JSONRPCRequest(id: request.id, method: request.method, params: request.params, paramsBytes: paramsBytes))
    }
    guard !loneSurrogates.isEmpty else { return }
    let inParams = loneSurrogates.compactMap { pointer -> String? in
      pointer.hasPrefix("/params/") ? String(pointer.dropFirst("/params".count)) : nil
    }
    let elsewhere = loneSurrogates.count - inParams.count
    switch self {
    case .request(let request) where elsewhere == 0:
      self = .request(
        JSONRPCRequest(id: request.id, method: request.method, params: request.params, loneSurrogates: inParams))
    case .request(let request):
      let id = loneSurrogates.contains("/id") ? nil : request.id
      self = .invalid(id: id, reason: "a string outside params is not valid Unicode (a lone surrogate escape)")
    default:
      break
    }
  }

  private init(validating value: JSONValue) {
    guard case .object(let object) = value else {
      self = .invalid(id: nil, reason: "a message must be a JSON object, not \(value.typeName)")
      return
    }
    var id: RequestID? = nil
    let hasID: Bool
    if let rawID = object["id"] {
      hasID = true
      guard let parsed = RequestID(rawID) else {
        self = .invalid(id: nil, reason: "\"id\" must be a string, a number or null, not \(rawID.typeName)")
        return
      }
      id = parsed
    } else {
      hasID = false
    }
    guard let version = object["jsonrpc"] else {
      self = .invalid(id: id, reason: "missing \"jsonrpc\": \"2.0\"")
      return
    }
    guard version == .string("2.0") else {
      self = .invalid(id: id, reason: "\"jsonrpc\" must be \"2.0\"")
      return
    }
    guard let rawMethod = object["method"] else {
      if hasID, object["result"] != nil || object["error"] != nil {
        self = .response(id: id!)
      } else {
        self = .invalid(id: id, reason: "missing \"method\"")
      }
      return
    }
    guard case .string(let method) = rawMethod else {
      self = .invalid(id: id, reason: "\"method\" must be a string, not \(rawMethod.typeName)")
      return
    }
    // `"params": null` is taken as no params: JSON-RPC asks for a structured value, but
    // clients send null for methods that take none (`shutdown` especially), and rejecting it
    // wedges their shutdown.
    var params: JSONValue? = object["params"]
    if params?.isNull == true { params = Optional.none }
    if let params {
      switch params {
      case .object, .array: break
      default:
        self = .invalid(id: id, reason: "\"params\" must be an object or an array, not \(params.typeName)")
        return
      }
    }
    if let id {
      self = .request(JSONRPCRequest(id: id, method: method, params: params))
    } else {
      self = .notification(JSONRPCNotification(method: method, params: params))
    }
  }
}

/// A request: it gets exactly one response.
public struct JSONRPCRequest: Sendable {
  public let id: RequestID
  public let method: String
  public let params: JSONValue?
  /// JSON Pointers, relative to `params`, of strings that held a lone surrogate escape (read as
  /// U+FFFD): not valid Unicode, so the server answers -32602 at these paths (contract §3).
  public let loneSurrogates: [String]
  /// The UTF-8 bytes `params` was parsed from, exactly as sent (`nil` when unknown: a batch member,
  /// a request built in code, params with a lone surrogate). Identical bytes always parse to the
  /// same ``params``, so a handler may key what it derives from them purely by these bytes.
  public let paramsBytes: [UInt8]?

  public init(
    id: RequestID, method: String, params: JSONValue?, loneSurrogates: [String] = [], paramsBytes: [UInt8]? = nil
  ) {
    self.id = id
    self.method = method
    self.params = params
    self.loneSurrogates = loneSurrogates
    self.paramsBytes = paramsBytes
  }
}

/// A notification: no response, ever.
public struct JSONRPCNotification: Sendable {
  public let method: String
  public let params: JSONValue?

  public init(method: String, params: JSONValue?) {
    self.method = method
    self.params = params
  }
}
