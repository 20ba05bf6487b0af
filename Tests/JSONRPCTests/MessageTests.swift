import JSON
import Testing

@testable import JSONRPC

@Suite struct MessageTests {
  func message(_ text: String) throws -> Message { Message(try JSONParser.parse(text)) }

  @Test func requestKeepsIdType() throws {
    guard case .request(let r) = try message(#"{"jsonrpc":"2.0","id":"1","method":"m","params":{}}"#) else {
      Issue.record("not a request")
      return
    }
    #expect(r.id == .string("1"))
    #expect(r.id != RequestID(.number(JSONNumber(1))))
    guard case .request(let n) = try message(#"{"jsonrpc":"2.0","id":1,"method":"m"}"#) else {
      Issue.record("not a request")
      return
    }
    #expect(JSONWriter.string(n.id.json) == "1")
    guard case .request(let null) = try message(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#) else {
      Issue.record("null id is still a request")
      return
    }
    #expect(null.id == .null)
  }

  @Test func nullParamsMeanNoParams() throws {
    guard case .request(let r) = try message(#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#) else {
      Issue.record("params null must still be a request")
      return
    }
    #expect(r.params == nil)
  }

  @Test func notificationHasNoId() throws {
    guard case .notification(let n) = try message(#"{"jsonrpc":"2.0","method":"initialized","params":[]}"#) else {
      Issue.record("not a notification")
      return
    }
    #expect(n.method == "initialized")
  }

  @Test func invalidEnvelopes() throws {
    let cases: [(String, RequestID?)] = [
      (#"{"jsonrpc":"1.0","id":5,"method":"m"}"#, .number(JSONNumber(5))),
      (#"{"id":5,"method":"m"}"#, .number(JSONNumber(5))),
      (#"{"jsonrpc":"2.0","id":true,"method":"m"}"#, nil),
      (#"{"jsonrpc":"2.0","id":{"a":1},"method":"m"}"#, nil),
      (#"{"jsonrpc":"2.0","id":"x","method":5}"#, .string("x")),
      (#"{"jsonrpc":"2.0","id":"x","method":"m","params":"s"}"#, .string("x")),
      (#"{"jsonrpc":"2.0","id":"x"}"#, .string("x")),
      ("5", nil),
      ("\"call\"", nil),
    ]
    for (text, expectedID) in cases {
      guard case .invalid(let id, _) = try message(text) else {
        Issue.record("\(text) should be invalid")
        continue
      }
      #expect(id == expectedID, "\(text)")
    }
  }

  @Test func responsesFromTheClientAreRecognised() throws {
    guard case .response(let id) = try message(#"{"jsonrpc":"2.0","id":3,"result":null}"#) else {
      Issue.record("not a response")
      return
    }
    #expect(id == .number(JSONNumber(3)))
  }

  @Test func errorResponseShape() {
    let text = JSONWriter.string(
      Outgoing.response(id: .string("1"), error: .methodNotFound("radar.foo", didYouMean: ["radar.ct"])))
    #expect(
      text
        == #"{"jsonrpc":"2.0","id":"1","error":{"code":-32601,"message":"Method not found: radar.foo (did you mean \"radar.ct\"?)","data":{"method":"radar.foo","didYouMean":["radar.ct"]}}}"#
    )
  }
}
