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
    let ns = elapsed / .nanoseconds(1)
    perCall.append(ns / Double(iterations))
  }
  report(label, perCall, iterations: iterations)
}

/// The async form of ``measure(_:iterations:_:)``, for calls through actors and tasks.
func measureAsync(_ label: String, iterations: Int, _ body: () async -> Void) async {
  for _ in 0..<max(1, iterations / 10) { await body() }
  var perCall: [Double] = []
  let clock = ContinuousClock()
  for _ in 0..<5 {
    let start = clock.now
    for _ in 0..<iterations { await body() }
    let elapsed = clock.now - start
    let ns = elapsed / .nanoseconds(1)
    perCall.append(ns / Double(iterations))
  }
  report(label, perCall, iterations: iterations)
}

private func report(_ label: String, _ perCall: [Double], iterations: Int) {
  let median = perCall.sorted()[perCall.count / 2]
  let text = median >= 1_000_000 ? String(format: "%.3f ms", median / 1e6) : String(format: "%.2f µs", median / 1e3)
  report("\(label): \(text) per call (median of \(perCall.count) × \(iterations))")
}
