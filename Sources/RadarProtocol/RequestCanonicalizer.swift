import JSON
import Radar

/// Turns one call's params into the canonical ``RadarRequest`` of a ``RadarMethod``, the way
/// Radar itself reads parameters (contract §5):
///
/// - at most ``RequestLimits/maxSeries`` series, checked first, so a huge request is refused cheaply;
/// - spellings Cloudflare accepts are normalised first (``SpellingNormalizer``: enums in any case,
///   `7dControl`, date-times without an offset);
/// - per-series parameters are positional arrays (element i belongs to series i); a single value
///   applies to every series, a one-element array to series 0 only;
/// - a list filter's element may be a comma string or an array of strings (joined with `,`);
/// - the `series` form (one object per series; a top-level single value applies to every
///   series, a series' own value wins) expands to the same items as the flat form; a series
///   that leaves out a parameter a later one sets gets an empty element at its position, which
///   only a parameter whose element schema accepts `""` (a string filter) may have;
/// - the method's cross-parameter rules (`x-radar-rules`) are checked on the expanded series;
/// - booleans go as `true`/`false`, integers in decimal, date-times in UTC with `Z`;
/// - query items follow the document's parameter order, each name's values in series order.
///
/// Every violation is collected before anything is thrown, and nothing is built from a value
/// that failed its schema.
struct RequestCanonicalizer {
  let method: RadarMethod
  let prefix: String
  let limits: RequestLimits
  var violations: [Violation] = []
  /// Parameters with a value that failed its schema somewhere (top level or a series object).
  var invalid = Set<Int>()
  private let validator: SchemaValidator
  private let normalizer: SpellingNormalizer

  /// Where a series' value came from, to point at it when a cross-parameter check fails.
  enum Source {
    case top
    case topElement(Int)
    case seriesObject(Int)
  }

  struct SeriesValue {
    let value: JSONValue
    let source: Source
  }

  init(method: RadarMethod, prefix: String, limits: RequestLimits) {
    self.method = method
    self.prefix = prefix
    self.limits = limits
    validator = SchemaValidator(schemas: method.schemas)
    normalizer = SpellingNormalizer(schemas: method.schemas)
  }

  mutating func makeRequest(_ params: JSONValue?, invalidUnicode: [String]) throws(InvalidParams) -> RadarRequest {
    let object: JSONObject
    switch params {
    case .object(let members): object = members
    case nil, .null: object = JSONObject()
    case let other?:
      throw InvalidParams(violations: [
        Violation(path: prefix, message: "params must be an object (by name), not \(article(other.typeName))")
      ])
    }

    violations += invalidUnicode.map { Violation.notUnicode(prefix + $0) }

    // 1. Names and schemas of the top-level members.
    let parameters = method.parameters
    var values = [JSONValue?](repeating: nil, count: parameters.count)
    var valid = [Bool](repeating: false, count: parameters.count)
    var path = JSONPath(prefix: prefix)
    var tooMany: [Violation] = []
    for (key, raw) in object {
      guard let index = method.parameterIndex(key) else {
        report(unknown: key, among: method.parameterNames, at: pointer(key), what: "parameter")
        continue
      }
      // The size of the request first: an array of more series than allowed is neither read nor
      // validated, so refusing a 10,000-series request costs next to nothing (contract §5, §7).
      if case .array(let elements) = raw, elements.count > limits.maxSeries,
        parameters[index].perSeries || parameters[index].placement == .series
      {
        tooMany.append(
          Violation(
            path: pointer(key),
            message: "asks for \(elements.count) series; at most \(limits.maxSeries) are allowed (--max-series)"))
        continue
      }
      guard tooMany.isEmpty else { continue }
      let value = normalizer.normalized(raw, against: parameters[index].schema)
      values[index] = value
      let before = violations.count
      path.with(.key(key)) { path in
        validator.validate(value, against: parameters[index].schema, at: &path, into: &violations)
      }
      valid[index] = violations.count == before
      if !valid[index] { invalid.insert(index) }
    }
    // Only the size is reported for a request that is too large: the rest was not read.
    guard tooMany.isEmpty else { throw InvalidParams(violations: tooMany) }
    for index in method.requiredIndices where values[index] == nil {
      let parameter = parameters[index]
      let choices = parameter.choices.isEmpty ? "" : " (one of \(parameter.choices.joined(separator: ", ")))"
      violations.append(Violation(path: pointer(parameter.name), message: "is required\(choices)"))
    }

    // 2. Per-series values, from the flat form or the series form.
    var series = [[SeriesValue?]](repeating: [], count: parameters.count)
    if let seriesIndex = method.seriesParameter, let seriesValue = values[seriesIndex] {
      expandSeries(seriesValue, values: values, valid: valid, into: &series)
    } else {
      // A single value applies to every series; an array is positional (contract §5).
      let count = method.perSeriesIndices.reduce(1) { max($0, values[$1]?.arrayValue?.count ?? 0) }
      for index in method.perSeriesIndices where valid[index] {
        switch values[index] {
        case .array(let elements)?:
          series[index] = elements.enumerated().map { SeriesValue(value: $1, source: .topElement($0)) }
        case let value?:
          series[index] = Array(repeating: SeriesValue(value: value, source: .top), count: count)
        case nil:
          break
        }
      }
    }
    checkDates(series)
    checkRules(values: values, valid: valid, series: series)

    // 3. The request, in canonical order.
    var pathText = ""
    for segment in method.pathSegments {
      switch segment {
      case .literal(let text): pathText += text
      case .parameter(let index):
        if let value = values[index], valid[index] { pathText += PercentEncoding.encode(wire(value, index) ?? "") }
      }
    }
    var items: [QueryItem] = []
    items.reserveCapacity(object.count + 4)
    for index in method.queryIndices {
      let parameter = parameters[index]
      if parameter.perSeries {
        for element in series[index] {
          items.append(QueryItem(parameter.name, element.flatMap { wire($0.value, index) } ?? ""))
        }
      } else if let value = values[index], valid[index], let text = wire(value, index) {
        items.append(QueryItem(parameter.name, text))
      }
    }
    guard violations.isEmpty else { throw InvalidParams(violations: deduplicated(violations)) }
    return RadarRequest(method: method.name, pathTemplate: method.pathTemplate, path: pathText, queryItems: items)
  }

  // MARK: - The series form

  private mutating func expandSeries(
    _ seriesValue: JSONValue, values: [JSONValue?], valid: [Bool],
    into series: inout [[SeriesValue?]]
  ) {
    let parameters = method.parameters
    let seriesName = parameters[method.seriesParameter!].name
    for index in method.perSeriesIndices {
      let parameter = parameters[index]
      if case .array? = values[index] {
        violations.append(
          Violation(
            path: pointer(parameter.name),
            message: "cannot be an array together with \"\(seriesName)\": set each series' value in its series object, "
              + "or give one value here for every series"))
      }
    }
    // Objects that are objects still expand (and report their own violations) when a sibling is not.
    guard case .array(let objects) = seriesValue else { return }
    let perSeriesNames = parameters.filter(\.perSeries).map(\.name)
    var own = [[SeriesValue?]](repeating: Array(repeating: nil, count: objects.count), count: parameters.count)
    var path = JSONPath(prefix: prefix)
    path.push(.key(seriesName))
    for (position, element) in objects.enumerated() {
      guard case .object(let members) = element else { continue }  // the schema already said so
      path.with(.index(position)) { path in
        for (key, value) in members {
          path.with(.key(key)) { path in
            guard let index = method.parameterIndex(key) else {
              report(unknown: key, among: perSeriesNames, at: path.pointer, what: "series parameter")
              return
            }
            let parameter = parameters[index]
            guard parameter.perSeries, let element = parameter.element else {
              let message =
                parameter.placement == .query
                ? "applies to every series: set it at the top level, not inside a series object"
                : "cannot be set inside a series object"
              violations.append(Violation(path: path.pointer, message: message))
              return
            }
            let value = normalizer.normalized(value, against: element)
            let before = violations.count
            validator.validate(value, against: element, at: &path, into: &violations)
            if violations.count == before {
              own[index][position] = SeriesValue(value: value, source: .seriesObject(position))
            } else {
              invalid.insert(index)
            }
          }
        }
      }
    }
    for index in method.perSeriesIndices {
      var shared: SeriesValue?
      if let value = values[index], valid[index], value.arrayValue == nil {
        shared = SeriesValue(value: value, source: .top)
      }
      var column = own[index].map { $0 ?? shared }
      while let last = column.last, last == nil { column.removeLast() }
      series[index] = column
      guard !method.acceptsEmptyElement[index], !invalid.contains(index) else { continue }
      // A gap before a later value would go upstream as an empty element, which Radar has no
      // meaning for outside string filters (its booleans, enums, dates and names have no "").
      for (position, element) in column.enumerated() where element == nil {
        let later = column[position...].firstIndex { $0 != nil }!
        violations.append(
          Violation(
            path: JSONPointer.render(
              prefix: prefix, [.key(seriesName), .index(position), .key(parameter(index).name)]),
            message: "is missing, but series \(later) sets it: Radar has no empty value for it, so "
              + "set it in every series (or in none)"))
      }
    }
  }

  // MARK: - Dates

  /// Per series: dateStart needs dateEnd (and the reverse), neither goes with dateRange, and
  /// dateStart must not be after dateEnd.
  private mutating func checkDates(_ series: [[SeriesValue?]]) {
    let (start, end, range) = method.dateIndices
    func count(_ index: Int?) -> Int { index.map { series[$0].count } ?? 0 }
    let count = max(count(start), count(end), count(range))
    guard count > 0 else { return }
    // A date that failed its schema was reported already; pairing the rest would only add noise.
    guard [start, end, range].allSatisfy({ $0.map { !invalid.contains($0) } ?? true }) else { return }
    func value(_ index: Int?, _ position: Int) -> (value: String, source: Source, index: Int)? {
      guard let index, position < series[index].count, let element = series[index][position],
        let text = element.value.stringValue, !text.isEmpty
      else { return nil }
      return (text, element.source, index)
    }
    let parameters = method.parameters
    for position in 0..<count {
      let s = value(start, position)
      let e = value(end, position)
      let r = value(range, position)
      if let s, e == nil, let end {
        violations.append(
          Violation(path: pointer(s.source, s.index), message: "needs a \(parameters[end].name) for the same series"))
      }
      if let e, s == nil, let start {
        violations.append(
          Violation(path: pointer(e.source, e.index), message: "needs a \(parameters[start].name) for the same series"))
      }
      if let r, s != nil || e != nil {
        let names = [start, end].compactMap { $0.map { parameters[$0].name } }.joined(separator: "/")
        violations.append(
          Violation(
            path: pointer(r.source, r.index),
            message: "cannot be combined with \(names) in the same series: give one or the other"))
      }
      if let s, let e, let from = DateTime(s.value), let to = DateTime(e.value), to < from {
        violations.append(
          Violation(
            path: pointer(s.source, s.index),
            message: "must not be after \(parameters[e.index].name) of the same series (\(e.value))"))
      }
    }
  }

  // MARK: - Wire values

  /// The query-string text of one valid value (`nil` after reporting an integer too large to send).
  mutating func wire(_ value: JSONValue, _ index: Int) -> String? {
    switch value {
    case .string(let text):
      guard method.parameters[index].isDateTime, let date = DateTime(text) else { return text }
      return date.utcString(original: text)
    case .bool(let flag):
      return flag ? "true" : "false"
    case .number(let number):
      guard number.isInteger else { return number.literal }
      guard let integer = number.intValue else {
        violations.append(Violation(path: pointer(method.parameters[index].name), message: "is too large"))
        return nil
      }
      return String(integer)
    case .array(let elements):
      return elements.map { $0.stringValue ?? "" }.joined(separator: ",")
    case .null, .object:
      return nil
    case .encoded(let encoded):
      return wire(encoded.decoded, index)
    }
  }

  // MARK: - Reporting

  private mutating func report(unknown key: String, among names: [String], at path: String, what: String) {
    violations.append(ViolationText.unknown(what, key, among: names, at: path))
  }

  func pointer(_ name: String) -> String { JSONPointer.render(prefix: prefix, [.key(name)]) }

  func parameter(_ index: Int) -> RadarParameter { method.parameters[index] }

  func pointer(_ source: Source, _ index: Int) -> String {
    let name = method.parameters[index].name
    switch source {
    case .top: return pointer(name)
    case .topElement(let position): return JSONPointer.render(prefix: prefix, [.key(name), .index(position)])
    case .seriesObject(let position):
      let seriesName = method.parameters[method.seriesParameter!].name
      return JSONPointer.render(prefix: prefix, [.key(seriesName), .index(position), .key(name)])
    }
  }

  private func article(_ typeName: String) -> String {
    typeName == "array" || typeName == "object" ? "an \(typeName)" : "a \(typeName)"
  }

  /// The same cross-series complaint can arise once per series (a shared top-level value).
  private func deduplicated(_ violations: [Violation]) -> [Violation] {
    var seen = Set<Violation>()
    return violations.filter { seen.insert($0).inserted }
  }
}
