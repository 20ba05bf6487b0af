import JSON

/// Writes message bodies as frames in the session's framing.
public enum FrameEncoder {
  /// Appends one whole frame holding `body` to `out`.
  public static func append(body: [UInt8], framing: Framing, to out: inout [UInt8]) {
    switch framing {
    case .lsp:
      // The canonical spelling first and alone: some clients only accept exactly this.
      JSONWriter.appendHeader(contentLength: body.count, to: &out)
      out.append(contentsOf: body)
    case .ndjson:
      // JSONWriter never emits a raw newline, so a body is always exactly one line.
      out.append(contentsOf: body)
      out.append(0x0A)
    }
  }

  public static func frame(body: [UInt8], framing: Framing) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(body.count + 32)
    append(body: body, framing: framing, to: &out)
    return out
  }
}
