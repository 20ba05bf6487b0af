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
    for group in [node.allOf, node.anyOf, node.oneOf] where !group.isEmpty {
      let type = TypeSet(of: value)
      for branch in group where schemas.accepts(branch, type: type) {
        if let changed = respelled(value, branch) { return changed }
      }
    }
    return nil
  }

  private func respelled(_ text: String, _ node: SchemaNode) -> String? {
    if let values = node.enumValues {
      guard !values.contains(.string(text)) else { return nil }
      let folded = text.lowercased()
      return values.lazy.compactMap(\.stringValue).first { $0.lowercased() == folded }
    }
    if let pattern = node.pattern, !pattern.matches(text) {
      let lower = text.lowercased()
      return lower != text && pattern.matches(lower) ? lower : nil
    }
    if node.format == .dateTime, DateTime(text) == nil, DateTime(text + "Z") != nil {
      return text + "Z"
    }
    return nil
  }
}
