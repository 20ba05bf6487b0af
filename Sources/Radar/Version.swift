/// The radar-rpc version, reported by `--version`, `initialize` and the `User-Agent` header.
public enum RadarRPCVersion {
  public static let current = "0.1.0"
  public static let userAgent = "radar-rpc/\(current) (+https://github.com/radar-rpc/radar-rpc)"
}
