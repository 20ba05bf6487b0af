/// The errors the demo raises, shaped as Cloudflare's: HTTP 400 with Radar's input validation
/// code 2001, so clients see the same `-32001` error as with the live API. Marked `imitated`: its
/// message says the demo answered, since no request left the machine.
enum DemoError {
  static func invalid(_ message: String) -> RadarError {
    .upstream(httpStatus: 400, errors: [CloudflareMessage(code: 2001, message: message)], imitated: true)
  }
}
