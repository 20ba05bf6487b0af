/// One `name=value` pair of an upstream query string, before percent-encoding.
///
/// Radar's array parameters are repeated keys (`dateRange=7d&dateRange=7dcontrol`), one
/// element per series, so a request holds an ordered list of these, not a dictionary.
public struct QueryItem: Sendable, Hashable, CustomStringConvertible {
  public let name: String
  public let value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }

  public var description: String { "\(name)=\(value)" }
}
