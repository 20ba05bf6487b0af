/// The notifications the server sends, by method name: one home for the literals. Each is
/// described in `protocol/openrpc.json` (`x-notifications`) and `protocol/README.md` §Streaming.
enum ServerNotification {
  /// LSP's `$/progress`: work-done progress (`workDoneToken`) and partial results (`partialResultToken`).
  static let progress = "$/progress"
  /// A subscription's new result or failed poll.
  static let radarUpdate = "radar/update"
}
