/// What the generator needs to know about one series once its filters are read: which groups it
/// shows, how its data is seeded, and how filters scale and tilt it.
///
/// A filter on the dimension's own keys (or on an attribute of them, such as `location` for
/// `AS`) selects groups; any other filter reshapes the data, deterministically, through the seed.
/// The seed never depends on dates or names, so a point depends only on its timestamp and the
/// filters: overlapping windows, control ranges and separate requests all agree.
struct DemoSeriesPlan: Sendable {
  /// Indices into the dimension's groups that the series shows.
  let visible: [Int]
  /// Weight of the long tail (only ever shown inside `other`), after filters.
  let tailWeight: Double
  let seed: UInt64
  /// Volume factor of the filters (1 without filters).
  let level: Double
  /// Whether data-reshaping filters are present (then group shares are tilted).
  let tilted: Bool

  init(dimension: DemoDimension, filters: [DemoFilter], baseSeed: UInt64) {
    var restrictions: [DemoFilter] = []
    var reshaping: [DemoFilter] = []
    for filter in filters {
      if dimension.isRestricted(by: filter.parameter) { restrictions.append(filter) } else { reshaping.append(filter) }
    }
    visible = dimension.groups.indices.filter { index in
      let group = dimension.groups[index]
      return restrictions.allSatisfy { $0.admits(dimension.tags(of: group, for: $0.parameter) ?? []) }
    }
    var tail = dimension.tailWeight
    if restrictions.contains(where: { $0.parameter == dimension.ownParameter && !$0.include.isEmpty }) {
      tail = 0
    } else if restrictions.contains(where: { !$0.include.isEmpty }) {
      let all = dimension.groups.reduce(0) { $0 + $1.weight }
      let shown = visible.reduce(0) { $0 + dimension.groups[$1].weight }
      tail *= all > 0 ? shown / all : 0
    }
    tailWeight = tail

    var seed = baseSeed
    var level = 1.0
    for filter in reshaping.sorted(by: { $0.canonical < $1.canonical }) {
      let h = SeededRandom.hash(filter.canonical)
      seed = SeededRandom.combine(seed, h)
      let u = SeededRandom.unit(h)
      level *= filter.include.isEmpty ? 0.75 + 0.23 * u : 0.05 + 0.45 * u
    }
    self.seed = seed
    self.level = level
    tilted = !reshaping.isEmpty
  }
}
