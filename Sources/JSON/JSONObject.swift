/// A JSON object: members in the order they were written, with unique keys.
///
/// Order is kept so that a Radar result passes through radar-rpc looking as Cloudflare sent
/// it. Lookups are linear, which is the fastest choice for the small objects of JSON-RPC;
/// equality ignores member order, as JSON's does.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  public typealias Member = (key: String, value: JSONValue)

  @usableFromInline var members: [Member]

  public init() { members = [] }

  /// Members in order; a later duplicate key replaces the earlier value.
  public init(_ members: some Sequence<(String, JSONValue)>) {
    self.members = []
    for (key, value) in members { self[key] = value }
  }

  /// Members the caller guarantees to have unique keys (no check: the parser and writers of
  /// fixed envelopes use it on their hot paths).
  public init(uniqueMembers: [Member]) { members = uniqueMembers }

  public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

  public var count: Int { members.count }
  public var isEmpty: Bool { members.isEmpty }
  public var keys: [String] { members.map(\.key) }

  public subscript(key: String) -> JSONValue? {
    get {
      for member in members where member.key == key { return member.value }
      return nil
    }
    set {
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue {
          members[index].value = newValue
        } else {
          members.remove(at: index)
        }
      } else if let newValue {
        members.append((key, newValue))
      }
    }
  }

  /// Removes `key` and returns its value.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSONValue? {
    guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
    return members.remove(at: index).value
  }

  public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.members.count == rhs.members.count else { return false }
    for (key, value) in lhs.members {
      guard let other = rhs[key], other == value else { return false }
    }
    return true
  }

  public func hash(into hasher: inout Hasher) {
    // Order-independent: combine per-member hashes commutatively.
    var combined = 0
    for (key, value) in members {
      var h = Hasher()
      h.combine(key)
      h.combine(value)
      combined ^= h.finalize()
    }
    hasher.combine(members.count)
    hasher.combine(combined)
  }
}
