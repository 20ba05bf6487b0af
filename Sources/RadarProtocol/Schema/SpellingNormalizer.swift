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
    let node = schemas[id]
    var value = value
    if let reference = node.reference { value = normalized(value, against: reference) }
    switch value {
    case .string(let text):
      if let fixed = respelled(text, node) { value = .string(fixed) }
    case .array(let elements):
      if let items = node.items {
        value = .array(elements.map { normalized($0, against: items) })
      }
    default:
      break
    }
    let type = TypeSet(of: value)
    for branch in node.allOf + node.anyOf + node.oneOf where schemas.accepts(branch, type: type) {
      let candidate = normalized(value, against: branch)
      if candidate != value { return candidate }
    }
    return value
  }

  private func respelled(_ text: String, _ node: SchemaNode) -> String? {
    if let values = node.enumValues, !values.contains(.string(text)) {
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
