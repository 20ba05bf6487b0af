/// Why an OpenRPC document cannot drive the server: a schema keyword the validator does not
/// implement, a `$ref` that does not resolve, a Radar method whose path and params disagree.
///
/// Raised at start-up (or by a test loading a document), never while serving, so a broken
/// document fails loudly instead of validating less than it claims.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where in the document, as a JSON Pointer (e.g. `/methods/2/params/5`).
  public let path: String
  public let message: String

  public init(_ message: String, at path: String) {
    self.message = message
    self.path = path
  }

  public var description: String { "\(path): \(message)" }
}
