/// How messages are delimited on the byte stream.
public enum Framing: String, Sendable, CaseIterable {
  /// The Language Server Protocol base protocol: `Content-Length: N\r\n\r\n` then N bytes.
  case lsp
  /// Newline-delimited JSON: one value per line (`\n` or `\r\n`), blank lines skipped.
  case ndjson
}

/// The `--framing` choice: a fixed framing, or `auto` (the first non-whitespace byte of input
/// decides: `{` or `[` means NDJSON, anything else LSP).
public enum FramingMode: String, Sendable, CaseIterable {
  case auto
  case lsp
  case ndjson

  /// The framing this mode fixes, or `nil` for `auto`.
  public var fixed: Framing? {
    switch self {
    case .auto: nil
    case .lsp: .lsp
    case .ndjson: .ndjson
    }
  }
}
