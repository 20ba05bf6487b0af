/// A JSON object: members in the order they were written, with unique keys.
///
/// Order is kept so that a Radar result passes through radar-rpc looking as Cloudflare sent
/// it. Lookups are linear, which is the fastest choice for the small objects of JSON-RPC;
/// equality ignores member order, as JSON's does.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  /// One `"key": value` pair. A struct rather than a tuple: arrays of tuples are destroyed
  /// through the runtime's generic path, which showed up in every response's cost.
  public struct Member: Sendable {
    public var key: String
    public var value: JSONValue

    @inlinable public init(_ key: String, _ value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

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

  /// Keys of a literal are unique (as `Dictionary` literals must be); checked in debug builds only,
  /// since literals build the server's own answers on the hot path.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    members = elements.map { Member($0.0, $0.1) }
    assert(Set(members.map(\.key)).count == members.count, "duplicate key in a JSON object literal")
  }

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
        members.append(Member(key, newValue))
      }
    }
  }

  /// The value of the ASCII `key`, looked for cheaply: only keys of its length in UTF-8 are
  /// compared (no other spelling equals an ASCII string), and no member is copied. For members
  /// that are rarely there, such as a request's LSP progress tokens.
  public func value(forASCIIKey key: StaticString) -> JSONValue? {
    let length = key.utf8CodeUnitCount
    return members.withUnsafeBufferPointer { members -> JSONValue? in
      for index in members.indices where members[index].key.utf8.count == length {
        if members[index].key == key.description { return members[index].value }
      }
      return nil
    }
  }

  /// Removes `key` and returns its value.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSONValue? {
    guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
    return members.remove(at: index).value
  }

  /// Iterates `(key, value)` pairs in order.
  public struct Iterator: IteratorProtocol {
    var base: IndexingIterator<[Member]>
    public mutating func next() -> (key: String, value: JSONValue)? {
      base.next().map { (key: $0.key, value: $0.value) }
    }
  }

  public func makeIterator() -> Iterator { Iterator(base: members.makeIterator()) }

  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.members.count == rhs.members.count else { return false }
    for member in lhs.members {
      guard let other = rhs[member.key], other == member.value else { return false }
    }
    return true
  }

  public func hash(into hasher: inout Hasher) {
    // Order-independent: combine per-member hashes commutatively.
    var combined = 0
    for member in members {
      var h = Hasher()
      h.combine(member.key)
      h.combine(member.value)
      combined ^= h.finalize()
    }
    hasher.combine(members.count)
    hasher.combine(combined)
  }
}
