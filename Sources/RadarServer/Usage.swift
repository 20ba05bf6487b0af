import Radar

/// The `--help` text: a fixed introduction, then every option of ``ServerOptions/table`` by
/// section, with its range and its default (read from a default ``ServerOptions``), then the
/// credentials and examples.
enum Usage {
  static let text = introduction + options(ServerOptions.table, defaults: ServerOptions()) + closing

  /// The option lines: `  --name VALUE` in a 29-column field, then the help, wrapped at 100 columns.
  static func options(_ table: [CommandLineOption], defaults: ServerOptions) -> String {
    var text = ""
    for section in CommandLineOption.Section.allCases {
      let options = table.filter { $0.section == section }
      guard !options.isEmpty else { continue }
      text += "\n\(section.rawValue)\n"
      for option in options {
        var head = "  " + option.names.sorted { $0.count < $1.count }.joined(separator: ", ")
        if let valueName = option.valueName { head += " \(valueName)" }
        var notes: [String] = []
        if let range = option.range { notes.append(range) }
        if let value = option.defaultText(defaults) { notes.append("default \(value)") }
        let help = option.help + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))") + "."
        text += lines(head: head, help: help)
      }
    }
    return text
  }

  private static let helpColumn = 29
  private static let width = 100

  /// `head` then `help` from column 29, words wrapped so no line passes `width`.
  private static func lines(head: String, help: String) -> String {
    var out = ""
    var line = head.count + 1 < helpColumn ? head + String(repeating: " ", count: helpColumn - head.count) : head
    var lineHasWords = false
    if head.count + 1 >= helpColumn {
      out += line + "\n"
      line = String(repeating: " ", count: helpColumn)
    }
    for word in help.split(separator: " ") {
      if lineHasWords, line.count + 1 + word.count > width {
        out += line + "\n"
        line = String(repeating: " ", count: helpColumn)
        lineHasWords = false
      }
      line += (lineHasWords ? " " : "") + word
      lineHasWords = true
    }
    return out + line + "\n"
  }

  private static let introduction = """
    radar-rpc \(RadarRPCVersion.current) — Cloudflare Radar as a JSON-RPC 2.0 service over standard input and output.

    USAGE: radar-rpc [options]

    Editors, notebooks and scripts spawn radar-rpc and speak JSON-RPC 2.0 on its stdin/stdout,
    with LSP framing (Content-Length headers) or one JSON message per line (NDJSON).
    Standard output carries protocol frames only; logs go to standard error.
    An option's value follows it after a space or an equals sign; a value out of range exits 2.

    """

  private static let closing = """

    CREDENTIALS (environment only, never flags)
      CLOUDFLARE_API_TOKEN       An API token with Radar read access (sent as Authorization: Bearer).
      CLOUDFLARE_EMAIL, CLOUDFLARE_API_KEY
                                 Or a Global API key. `initialize` may also pass
                                 initializationOptions.apiToken.

    EXAMPLES
      echo '{"jsonrpc":"2.0","id":1,"method":"radar.netflows.timeseriesGroups","params":{"dimension":"PRODUCT","dateRange":"1d"}}' | radar-rpc --demo
      CLOUDFLARE_API_TOKEN=… radar-rpc --stdio

    The protocol (methods, params, errors, streaming): protocol/README.md and protocol/openrpc.json,
    or ask a running server with `rpc.discover`.
    """
}
