/// What the frame decoder found in the input.
public enum FrameEvent {
  /// A whole message body. The pointer is valid only during the callback that receives it.
  case frame(UnsafeRawBufferPointer)
  /// A frame larger than the limit, skipped without being buffered (answered -32600, id null).
  case oversized(declaredBytes: Int?)
  /// Framing that could not be understood (a header without a usable length, a header block
  /// that never ends). The decoder has resynchronised on the next frame it can find.
  case malformed(reason: String)
}
