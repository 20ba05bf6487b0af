extension Duration {
  /// The duration in seconds, as a `Double` (for progress messages, `Retry-After` and timeouts).
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
