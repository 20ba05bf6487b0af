/// A method of the document as the server needs it for every method, Radar or not: its
/// by-name params (name, required, compiled schema) and result schema.
struct DocumentMethod: Sendable {
  struct Param: Sendable {
    let name: String
    let required: Bool
    let schema: SchemaID
  }

  let name: String
  let params: [Param]
  let result: SchemaID?
  /// `x-notification`: a client-to-server notification (no result, no response).
  let isNotification: Bool
  /// `x-ignore-unknown-params`: names outside `params` are accepted (LSP's `initialize` carries many).
  let ignoresUnknownParams: Bool
}
