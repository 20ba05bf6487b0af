import JSON

/// Interprets a method's ``CrossParameterRule``s on the params of one request, after their
/// schemas and the series expansion (contract §5): each broken rule is one violation, every one
/// reported, and no request goes upstream.
extension RequestCanonicalizer {
  /// One given value of a parameter, as text (`"PERCENTAGE_CHANGE"`, `"5"`, `"true"`), and where
  /// it came from (rendered as a JSON Pointer only when a rule is broken).
  private struct Given {
    let text: String
    let source: Source
    let index: Int
  }

  mutating func checkRules(values: [JSONValue?], valid: [Bool], series: [[SeriesValue?]]) {
    guard !method.rules.isEmpty else { return }
    let table = GivenValues(canonicalizer: self, values: values, valid: valid, series: series)
    for rule in method.rules {
      switch rule {
      case .onlyWhen(let param, let condition, let message):
        guard let first = table.given(param).first, !table.holds(condition) else { continue }
        let context = condition.terms.compactMap { term in
          table.given(term.param).first.map { "\(parameter(term.param).name) is \($0.text)" }
        }
        violations.append(
          Violation(
            path: pointer(first.source, first.index),
            message: message + (context.isEmpty ? "" : " (\(context.joined(separator: ", ")))")))

      case .exclusive(let a, let b, let message):
        let aGiven = a.params.flatMap { table.given($0).prefix(1) }
        let bGiven = b.params.flatMap { table.given($0).prefix(1) }
        guard !aGiven.isEmpty || table.holds(a.when), !bGiven.isEmpty || table.holds(b.when) else { continue }
        // Blame the filters the caller can drop: side b's if it has any, else side a's.
        for blamed in bGiven.isEmpty ? aGiven : bGiven {
          violations.append(Violation(path: pointer(blamed.source, blamed.index), message: message))
        }

      case .sameDuration(let message):
        checkSameDuration(series, message: message)

      case .seriesCount(let param, let condition, let count, let message):
        let seriesCount = max(1, method.perSeriesIndices.map { series[$0].count }.max() ?? 1)
        guard seriesCount != count, table.holds(condition), let first = table.given(param).first else { continue }
        violations.append(
          Violation(path: pointer(first.source, first.index), message: message + " (the request has \(seriesCount))"))

      case .reservedValues(let param, let reserved, let message):
        for value in table.given(param) where reserved.contains(value.text) {
          violations.append(
            Violation(path: pointer(value.source, value.index), message: "\"\(value.text)\" " + message))
        }
      }
    }
  }

  /// The values a request gives each parameter, read the way rules compare them. A value that
  /// failed its schema was reported already, so it counts as not given (judging it would only
  /// add noise).
  private struct GivenValues {
    let canonicalizer: RequestCanonicalizer
    let values: [JSONValue?]
    let valid: [Bool]
    let series: [[SeriesValue?]]

    func given(_ index: Int) -> [Given] {
      guard !canonicalizer.invalid.contains(index) else { return [] }
      if canonicalizer.parameter(index).perSeries {
        return series[index].compactMap { element in
          guard let element, let text = RequestCanonicalizer.text(element.value), !text.isEmpty else { return nil }
          return Given(text: text, source: element.source, index: index)
        }
      }
      guard valid[index], let value = values[index], let text = RequestCanonicalizer.text(value) else { return [] }
      return [Given(text: text, source: .top, index: index)]
    }

    /// A condition holds when every one of its parameters has a value among its values.
    func holds(_ condition: CrossParameterRule.Condition) -> Bool {
      !condition.terms.isEmpty
        && condition.terms.allSatisfy { term in given(term.param).contains { term.values.contains($0.text) } }
    }
  }

  /// Compares every series' window length with the first series that has one: `<n>d`/`<n>w`
  /// ranges (a `control` suffix keeps the length), and `dateStart`…`dateEnd` floored to 15
  /// minutes as Radar does. A series without a window is left to Radar's default.
  private mutating func checkSameDuration(_ series: [[SeriesValue?]], message: String) {
    let (start, end, range) = method.dateIndices
    for index in [start, end, range].compactMap({ $0 }) where invalid.contains(index) { return }
    func element(_ index: Int?, _ position: Int) -> SeriesValue? {
      guard let index, position < series[index].count, let value = series[index][position],
        value.value.stringValue?.isEmpty == false
      else { return nil }
      return value
    }
    let count = [start, end, range].compactMap { $0.map { series[$0].count } }.max() ?? 0
    guard count > 1 else { return }  // one series has nothing to compare with
    var reference: Int?
    for position in 0..<count {
      var window: (seconds: Int, blame: SeriesValue, index: Int)?
      if let s = element(start, position), let e = element(end, position),
        let from = s.value.stringValue.flatMap(DateTime.init), let to = e.value.stringValue.flatMap(DateTime.init)
      {
        window = (to.epochSeconds / 900 * 900 - from.epochSeconds / 900 * 900, s, start!)
      } else if let r = element(range, position), let seconds = r.value.stringValue.flatMap(Self.rangeSeconds) {
        window = (seconds, r, range!)
      }
      // A window that ends before it starts was reported on its own already.
      guard let window, window.seconds >= 0 else { continue }
      guard let reference else {
        reference = window.seconds
        continue
      }
      if window.seconds != reference {
        violations.append(
          Violation(
            path: pointer(window.blame.source, window.index),
            message: "covers \(Self.describe(window.seconds)) but the first series covers \(Self.describe(reference)): "
              + message))
      }
    }
  }

  /// Seconds of a relative range `<n>d` or `<n>w`, with or without `control`; `nil` for anything
  /// else, a negative count or one too large to count in seconds (a schema without the pattern
  /// that bounds `n` must not make the product trap).
  private static func rangeSeconds(_ text: String) -> Int? {
    var body = Substring(text)
    if body.hasSuffix("control") { body = body.dropLast(7) }
    guard let unit = body.last, let n = Int(body.dropLast()), n >= 0 else { return nil }
    let perUnit: Int
    switch unit {
    case "d": perUnit = 86_400
    case "w": perUnit = 7 * 86_400
    default: return nil
    }
    let (seconds, overflow) = n.multipliedReportingOverflow(by: perUnit)
    return overflow ? nil : seconds
  }

  /// `7d`, `36h`, `90m`: a window length the way Radar's ranges are written.
  private static func describe(_ seconds: Int) -> String {
    if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
    if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
    return "\(seconds / 60)m"
  }

  /// A value as the text a rule compares: strings as they are, booleans and numbers as sent.
  fileprivate static func text(_ value: JSONValue) -> String? {
    switch value {
    case .string(let text): text
    case .bool(let flag): flag ? "true" : "false"
    case .number(let number): number.literal
    case .array(let elements): elements.map { $0.stringValue ?? "" }.joined(separator: ",")
    case .null, .object: nil
    case .encoded(let encoded): text(encoded.decoded)
    }
  }
}
