/// Durations of the most recent upstream attempts (a bounded ring), for latency percentiles.
struct LatencyWindow {
  private var samples: [Double] = []
  private var next = 0
  let capacity: Int

  init(capacity: Int = 1024) {
    self.capacity = max(1, capacity)
  }

  mutating func record(_ duration: Duration) {
    let ms = duration / .milliseconds(1)
    if samples.count < capacity {
      samples.append(ms)
    } else {
      samples[next] = ms
      next = (next + 1) % capacity
    }
  }

  /// The nearest-rank percentile `p` (0...100) in milliseconds, or `nil` before any sample.
  func percentile(_ p: Double) -> Double? {
    guard !samples.isEmpty else { return nil }
    let sorted = samples.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}
