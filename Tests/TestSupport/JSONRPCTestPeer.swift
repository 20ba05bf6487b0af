public import JSON

/// What the tests talk JSON-RPC to — the connection in-process over pipes (`PipeHarness`) or the
/// spawned binary (`ServerProcess`) — with the requests, notifications and waits both share.
/// A conforming type sends one message as a frame and collects every message it receives.
public protocol JSONRPCTestPeer: Sendable {
  /// Sends one message (or batch) as a frame in the peer's framing.
  func send(_ value: JSONValue)
  /// Every message received so far, in order.
  var messages: [JSONValue] { get }
}

extension JSONRPCTestPeer {
  public func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) {
    var object: JSONObject = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
    if let params { object["params"] = params }
    send(.object(object))
  }

  public func notify(_ method: String, _ params: JSONValue? = nil) {
    var object: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
    if let params { object["params"] = params }
    send(.object(object))
  }

  /// The responses (not notifications) whose id equals `id`.
  public func responses(_ id: JSONValue) -> [JSONValue] { messages.filter { $0["id"] == id && $0["method"] == nil } }

  /// The notifications of `method`.
  public func notifications(_ method: String) -> [JSONValue] {
    messages.filter { $0["method"]?.stringValue == method }
  }

  /// Waits until `predicate` holds over the received messages (see ``waitUntil(timeout:_:)``).
  @discardableResult
  public func waitFor(timeout: Duration = defaultTimeout, _ predicate: ([JSONValue]) -> Bool) async
    -> Bool
  {
    await waitUntil(timeout: timeout) { predicate(messages) }
  }

  /// Waits for the response to `id`.
  public func response(_ id: JSONValue, timeout: Duration = defaultTimeout) async -> JSONValue? {
    await waitFor(timeout: timeout) { all in all.contains { $0["id"] == id && $0["method"] == nil } }
    return responses(id).first
  }

  /// Sends a request and waits for its response.
  public func call(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) async -> JSONValue? {
    request(id, method, params)
    return await response(id)
  }
}
