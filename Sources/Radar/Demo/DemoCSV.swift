/// `format=CSV` in the style of Radar's CSV answers (as Cloudflare's radar-notebooks show them):
/// one row per timestamp, the series side by side, columns `<Name> timestamps` then `<Name> <key>`
/// for each group, where `<Name>` is the series key with its first letter capitalized (`us` →
/// `Us`, and `serie_0` → `Serie_0` for an unnamed series). No `meta`; values are unquoted numbers.
/// Series with fewer timestamps leave their cells empty; a field with a comma or quote is quoted
/// as RFC 4180 says. Lines end with `\n`.
enum DemoCSV {
  static func body(_ series: [(key: String, timestamps: [String], columns: DemoColumns)]) -> String {
    var out: [UInt8] = []
    let rows = series.map(\.timestamps.count).max() ?? 0
    let width = series.reduce(0) { $0 + 1 + $1.columns.keys.count }
    out.reserveCapacity((rows + 1) * width * 12)
    var first = true
    func separate() {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
    }
    for s in series {
      let name = s.key.prefix(1).uppercased() + s.key.dropFirst()
      separate()
      field("\(name) timestamps", into: &out)
      for key in s.columns.keys {
        separate()
        field("\(name) \(key)", into: &out)
      }
    }
    out.append(UInt8(ascii: "\n"))
    for i in 0..<rows {
      first = true
      for s in series {
        separate()
        if i < s.timestamps.count { out.append(contentsOf: s.timestamps[i].utf8) }
        for column in s.columns.scaled {
          separate()
          if i < column.count { FixedDecimal.write(scaled: column[i], decimals: s.columns.decimals, into: &out) }
        }
      }
      out.append(UInt8(ascii: "\n"))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes `text`, quoted (with inner quotes doubled) when it holds a comma, quote or line break.
  static func field(_ text: String, into out: inout [UInt8]) {
    let special = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    guard special else {
      out.append(contentsOf: text.utf8)
      return
    }
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\"") { out.append(byte) }
      out.append(byte)
    }
    out.append(UInt8(ascii: "\""))
  }
}
