/// One command-line option, declared once: its names, the value it takes with its range or
/// choices, its help text, and where the parsed value goes in ``ServerOptions``. Parsing, range
/// checks (a value out of range is a ``ServerOptions/UsageError``: exit 2, contract §7) and the
/// option lines of `--help` are all derived from the table ``ServerOptions/table``; the default
/// shown in `--help` is read from ``ServerOptions/init()``, whose defaults are the configuration
/// types' own.
struct CommandLineOption: Sendable {
  /// The `--help` section the option is listed in, in this order.
  enum Section: String, CaseIterable, Sendable {
    case backend = "BACKEND"
    case upstream = "UPSTREAM POLITENESS"
    case cache = "CACHE"
    case transport = "TRANSPORT"
    case other = "OTHER"
  }

  /// `--name` first, then any short alias (`-h`).
  let names: [String]
  /// What the value looks like in `--help` (`N`, `SECONDS`, `auto|lsp|ndjson`); `nil` for a flag
  /// that takes no value.
  let valueName: String?
  let section: Section
  /// One or two sentences for people, without the range and the default (they are added).
  let help: String
  /// The range of the value as `--help` shows it (`1…65536`), when it has one.
  let range: String?
  /// The default as `--help` shows it, read from a default ``ServerOptions``; `nil` for none.
  let defaultText: @Sendable (ServerOptions) -> String?
  /// Stores the value (`nil` for a flag); throws when it is malformed or out of range.
  let apply: @Sendable (inout ServerOptions, String?) throws(ServerOptions.UsageError) -> Void

  var name: String { names[0] }
}

extension CommandLineOption {
  /// Where an option's value goes: a field of ``ServerOptions``.
  typealias Field<Value> = any WritableKeyPath<ServerOptions, Value> & Sendable

  /// A flag without a value that changes the options (`--demo`, `--version`).
  static func flag(
    _ names: String..., section: Section, help: String, set: @escaping @Sendable (inout ServerOptions) -> Void
  ) -> Self {
    Self(
      names: names, valueName: nil, section: section, help: help, range: nil, defaultText: { _ in nil },
      apply: { options, _ in set(&options) })
  }

  /// A flag that turns a `Bool` on (`--no-shared-cache`).
  static func flag(
    _ name: String, _ keyPath: Field<Bool>, section: Section, help: String
  ) -> Self {
    flag(name, section: section, help: help) { $0[keyPath: keyPath] = true }
  }

  /// An integer in `range` (counts, sizes in bytes).
  static func integer(
    _ name: String, _ keyPath: Field<Int>, in range: ClosedRange<Int>,
    valueName: String = "N", section: Section, help: String
  ) -> Self {
    let rangeText = "\(range.lowerBound)…\(range.upperBound)"
    return Self(
      names: [name], valueName: valueName, section: section, help: help, range: rangeText,
      defaultText: { String($0[keyPath: keyPath]) },
      apply: { options, text throws(ServerOptions.UsageError) in
        guard let text, let value = Int(text), range.contains(value) else {
          throw ServerOptions.UsageError("\(name) must be an integer in \(rangeText), not \"\(text ?? "")\"")
        }
        options[keyPath: keyPath] = value
      })
  }

  /// The unit a duration is written in on the command line.
  enum DurationUnit: Sendable {
    case seconds, milliseconds

    var valueName: String { self == .seconds ? "SECONDS" : "MS" }
    var word: String { self == .seconds ? "seconds" : "milliseconds" }
    var one: Duration { self == .seconds ? .seconds(1) : .milliseconds(1) }
  }

  /// A duration, written as a number (fractions allowed) of `unit`s in `range`.
  static func duration(
    _ name: String, _ keyPath: Field<Duration>, in range: ClosedRange<Double>,
    unit: DurationUnit = .seconds, section: Section, help: String
  ) -> Self {
    let rangeText = "\(Self.number(range.lowerBound))…\(Self.number(range.upperBound))"
    return Self(
      names: [name], valueName: unit.valueName, section: section, help: help, range: rangeText,
      defaultText: { Self.number($0[keyPath: keyPath] / unit.one) },
      apply: { options, text throws(ServerOptions.UsageError) in
        guard let text, let value = Double(text), value.isFinite, range.contains(value) else {
          throw ServerOptions.UsageError(
            "\(name) must be a number of \(unit.word) in \(rangeText), not \"\(text ?? "")\"")
        }
        options[keyPath: keyPath] = unit.one * value
      })
  }

  /// One of a few named values (`--framing auto|lsp|ndjson`). `parse` may accept more spellings
  /// than `choices` lists (it defaults to the listed names, exactly).
  static func choice<Value: Equatable & Sendable>(
    _ name: String, _ keyPath: Field<Value>,
    _ choices: [(name: String, value: Value)], parse: (@Sendable (String) -> Value?)? = nil, section: Section,
    help: String
  ) -> Self {
    let names = choices.map(\.name)
    let parse = parse ?? { text in choices.first { $0.name == text }?.value }
    return Self(
      names: [name], valueName: names.joined(separator: "|"), section: section, help: help, range: nil,
      defaultText: { options in choices.first { $0.value == options[keyPath: keyPath] }?.name },
      apply: { options, text throws(ServerOptions.UsageError) in
        guard let text, let value = parse(text) else {
          throw ServerOptions.UsageError(
            "\(name) must be one of \(names.joined(separator: ", ")), not \"\(text ?? "")\"")
        }
        options[keyPath: keyPath] = value
      })
  }

  /// One of the cases of a string enum.
  static func choice<Value: CaseIterable & RawRepresentable<String> & Equatable & Sendable>(
    _ name: String, _ keyPath: Field<Value>, section: Section, help: String
  ) -> Self {
    choice(name, keyPath, Value.allCases.map { ($0.rawValue, $0) }, section: section, help: help)
  }

  /// A value with its own syntax (`--rate-limit N/SECONDS`): `parse` checks syntax and range,
  /// `format` shows the default, `expected` says what is wanted in the error message.
  static func value<Value: Sendable>(
    _ name: String, _ keyPath: Field<Value>, valueName: String,
    parse: @escaping @Sendable (String) -> Value?, format: @escaping @Sendable (Value) -> String?, expected: String,
    section: Section, help: String
  ) -> Self {
    Self(
      names: [name], valueName: valueName, section: section, help: help, range: nil,
      defaultText: { format($0[keyPath: keyPath]) },
      apply: { options, text throws(ServerOptions.UsageError) in
        guard let text, let value = parse(text) else {
          throw ServerOptions.UsageError("\(name) must be \(expected), not \"\(text ?? "")\"")
        }
        options[keyPath: keyPath] = value
      })
  }

  /// `30`, `2.5`: a number as a person writes it.
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }
}
