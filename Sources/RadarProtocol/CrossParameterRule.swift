import JSON

/// A rule Radar documents across parameters of one request, read from the method's
/// `x-radar-rules` in the OpenRPC document (contract §5): a new endpoint brings its rules as
/// data, and ``RequestCanonicalizer`` interprets them before any upstream request, reporting
/// every violation at once (-32602).
///
/// A condition (`when`) maps a parameter name to the values that make it hold; it holds when
/// the parameter's value (for a per-series parameter, any series' value), after case
/// normalisation, is one of them.
enum CrossParameterRule: Sendable {
  /// `{"rule": "onlyWhen", "param", "when", "message"}`: `param` may be given only while `when` holds
  /// (`limitPerGroup` only on dimensions with more than two groups).
  case onlyWhen(param: Int, when: Condition, message: String)
  /// `{"rule": "exclusive", "sides": [{"params", "when"}, {"params", "when"}], "message"}`: the two
  /// sides cannot both be present; a side is present when one of its params is given or its
  /// `when` holds (CT `tld` against `log`, `logApi`, `logOperator`, `entryType`).
  case exclusive(Side, Side, message: String)
  /// `{"rule": "sameDuration", "message"}`: every series covers the duration of the first one
  /// that has a window (from the parameters with `x-radar-date`).
  case sameDuration(message: String)
  /// `{"rule": "seriesCount", "param", "when", "count", "message"}`: while `when` holds the request
  /// has exactly `count` series (`PERCENTAGE_CHANGE` compares two).
  case seriesCount(param: Int, when: Condition, count: Int, message: String)
  /// `{"rule": "reservedValues", "param", "values", "message"}`: no element of `param` may be one of
  /// `values` (a series named `meta`).
  case reservedValues(param: Int, values: [String], message: String)

  /// Parameter index → values that satisfy it; all entries must hold.
  struct Condition: Sendable {
    let terms: [(param: Int, values: [String])]
  }

  struct Side: Sendable {
    let params: [Int]
    let when: Condition
  }

  /// Reads one entry of `x-radar-rules`; every parameter name must be one of `names`.
  init(_ value: JSONValue, names: [String], at path: String) throws(DocumentError) {
    guard case .object(let object) = value, let kind = object["rule"]?.stringValue else {
      throw DocumentError("a rule must be an object with a \"rule\" name", at: path)
    }
    guard let message = object["message"]?.stringValue, !message.isEmpty else {
      throw DocumentError("a rule needs a message", at: path)
    }
    func index(_ name: JSONValue?, _ at: String) throws(DocumentError) -> Int {
      guard let text = name?.stringValue, let index = names.firstIndex(of: text) else {
        throw DocumentError("must name a parameter of the method", at: at)
      }
      return index
    }
    func condition(_ value: JSONValue?, _ at: String) throws(DocumentError) -> Condition {
      guard case .object(let members)? = value else { throw DocumentError("when must be an object", at: at) }
      var terms: [(Int, [String])] = []
      for (name, allowed) in members {
        let values = allowed.arrayValue?.compactMap(\.stringValue)
        guard let values, values.count == allowed.arrayValue?.count else {
          throw DocumentError("when maps a parameter to an array of strings", at: at + "/" + name)
        }
        terms.append((try index(.string(name), at + "/" + name), values))
      }
      return Condition(terms: terms)
    }
    switch kind {
    case "onlyWhen":
      self = .onlyWhen(
        param: try index(object["param"], path + "/param"), when: try condition(object["when"], path + "/when"),
        message: message)
    case "exclusive":
      guard let sides = object["sides"]?.arrayValue, sides.count == 2 else {
        throw DocumentError("exclusive needs two sides", at: path + "/sides")
      }
      var parsed: [Side] = []
      for (position, side) in sides.enumerated() {
        let here = "\(path)/sides/\(position)"
        var params: [Int] = []
        for name in side["params"]?.arrayValue ?? [] { params.append(try index(name, here + "/params")) }
        let when = side["when"] == nil ? Condition(terms: []) : try condition(side["when"], here + "/when")
        guard !params.isEmpty || !when.terms.isEmpty else {
          throw DocumentError("a side needs params or when", at: here)
        }
        parsed.append(Side(params: params, when: when))
      }
      self = .exclusive(parsed[0], parsed[1], message: message)
    case "sameDuration":
      self = .sameDuration(message: message)
    case "seriesCount":
      guard let count = object["count"]?.intValue, count >= 1 else {
        throw DocumentError("count must be a positive integer", at: path + "/count")
      }
      self = .seriesCount(
        param: try index(object["param"], path + "/param"), when: try condition(object["when"], path + "/when"),
        count: count, message: message)
    case "reservedValues":
      let values = object["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
      guard !values.isEmpty else { throw DocumentError("values must be a non-empty array of strings", at: path) }
      self = .reservedValues(param: try index(object["param"], path + "/param"), values: values, message: message)
    default:
      throw DocumentError(
        "unknown rule \"\(kind)\" (onlyWhen, exclusive, sameDuration, seriesCount, reservedValues)", at: path + "/rule")
    }
  }
}
