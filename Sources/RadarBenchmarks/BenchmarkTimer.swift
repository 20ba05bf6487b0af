import Foundation

/// Runs `body` `iterations` times after a warm-up and reports the median of 5 batches, per call.
func measure(_ label: String, iterations: Int, _ body: () throws -> Void) rethrows {
  for _ in 0..<max(1, iterations / 10) { try body() }
  var perCall: [Double] = []
  let clock = ContinuousClock()
  for _ in 0..<5 {
    let start = clock.now
    for _ in 0..<iterations { try body() }
    let elapsed = clock.now - start
    let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    perCall.append(ns / Double(iterations))
  }
  perCall.sort()
  let median = perCall[2]
  let text = median >= 1_000_000 ? String(format: "%.3f ms", median / 1e6) : String(format: "%.2f µs", median / 1e3)
  print("\(label): \(text) per call (median of 5 × \(iterations))")
}
