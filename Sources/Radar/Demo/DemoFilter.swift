/// One filter element of one series, as Radar reads it: a comma list where `-` excludes
/// (`location=-US,PT`: everything but the US, plus PT). Values compare case-insensitively, and
/// `AS13335` equals `13335` for `asn`.
struct DemoFilter: Sendable, Equatable {
  let parameter: String
  let include: [String]
  let exclude: [String]

  /// `nil` for an empty element, which means "no filter" for that series.
  init?(parameter: String, value: String) {
    var include: [String] = []
    var exclude: [String] = []
    for part in value.split(separator: ",") {
      var item = part.trimmingWhitespace.uppercased()
      let excluded = item.hasPrefix("-")
      if excluded { item.removeFirst() }
      if parameter == "asn", item.hasPrefix("AS"), item.dropFirst(2).allSatisfy(\.isNumber), item.count > 2 {
        item.removeFirst(2)
      }
      guard !item.isEmpty else { continue }
      if excluded { exclude.append(item) } else { include.append(item) }
    }
    guard !include.isEmpty || !exclude.isEmpty else { return nil }
    self.parameter = parameter
    self.include = include.sorted()
    self.exclude = exclude.sorted()
  }

  /// A spelling that is the same for every equivalent filter (`location=PT,-US`), for seeding.
  var canonical: String {
    "\(parameter)=\((include + exclude.map { "-\($0)" }).joined(separator: ","))"
  }

  /// True when a group with these filter values passes: it matches an included value (if any are
  /// included) and no excluded one.
  func admits(_ values: [String]) -> Bool {
    if values.contains(where: exclude.contains) { return false }
    return include.isEmpty || values.contains(where: include.contains)
  }
}
