import JSON

/// Radar's leniency (contract §5), applied to a Radar method's params before they are validated:
/// the spellings Cloudflare accepts are rewritten to the spelling of the schema, so every
/// spelling of one request shares one canonical request (`"ca"` and `"CA"` coalesce).
///
/// - an enum value in any case becomes the enum's own spelling (`"csv"` → `"CSV"`);
/// - a string that fails its `pattern` but matches it in lower case is lower-cased
///   (`"7dControl"` → `"7dcontrol"`, the spelling of Cloudflare's docs);
/// - a `date-time` without an offset is taken as UTC and gets `Z` (Radar works in UTC; the
///   Python SDK sends naive datetimes so).
///
/// Anything else is left alone for the validator to judge.
struct SpellingNormalizer {
  let schemas: SchemaSet

  /// `value` with every string rewritten as above, following `$ref`, `items` and the branches
  /// of `anyOf`/`oneOf`/`allOf` that accept its JSON type.
  func normalized(_ value: JSONValue, against id: SchemaID) -> JSONValue {
    respelled(value, id) ?? value
  }

  /// The rewritten value, or `nil` when nothing changes (the common case allocates nothing).
  private func respelled(_ value: JSONValue, _ id: SchemaID) -> JSONValue? {
    let node = schemas[id]
    if let reference = node.reference, let changed = respelled(value, reference) { return changed }
    switch value {
    case .string(let text):
      if let fixed = respelled(text, node) { return .string(fixed) }
    case .array(let elements):
      if let items = node.items {
        var copy: [JSONValue]? = nil
        for (index, element) in elements.enumerated() {
          guard let changed = respelled(element, items) else { continue }
          if copy == nil { copy = elements }
          copy![index] = changed
        }
        if let copy { return .array(copy) }
      }
    default:
      break
    }
    if let changed = respelled(value, branches: node.allOf) { return changed }
    if let changed = respelled(value, branches: node.anyOf) { return changed }
    return respelled(value, branches: node.oneOf)
  }

  /// The first rewrite a branch of the value's JSON type makes.
  private func respelled(_ value: JSONValue, branches: [SchemaID]) -> JSONValue? {
    guard !branches.isEmpty else { return nil }
    let type = TypeSet(of: value)
    for branch in branches where schemas.accepts(branch, type: type) {
      if let changed = respelled(value, branch) { return changed }
    }
    return nil
  }

  private func respelled(_ text: String, _ node: SchemaNode) -> String? {
    if let values = node.enumValues {
      guard !values.contains(.string(text)) else { return nil }
      let folded = text.lowercased()
      return values.lazy.compactMap(\.stringValue).first { $0.lowercased() == folded }
    }
    // Only a string with upper case in it can be lower-cased into its pattern.
    if let pattern = node.pattern, text.utf8.contains(where: { (65...90).contains($0) }), !pattern.matches(text) {
      let lower = text.lowercased()
      return pattern.matches(lower) ? lower : nil
    }
    if node.format == .dateTime, Self.lacksOffset(text), DateTime(text + "Z") != nil {
      return text + "Z"
    }
    return nil
  }

  /// `2026-11-01T00:00:00` or `…:00.5`: no `Z` and no `±hh:mm` after the seconds.
  private static func lacksOffset(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count >= 19 else { return false }
    return !bytes.dropFirst(19).contains { $0 == 0x5A || $0 == 0x7A || $0 == 0x2B || $0 == 0x2D }
  }
}
