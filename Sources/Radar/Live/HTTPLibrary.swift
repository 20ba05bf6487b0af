import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The HTTP plug-in (`libRadarHTTP`, Sources/RadarHTTP), loaded on the first live request.
///
/// Loading it lazily keeps FoundationNetworking and libcurl's ~40 shared libraries out of
/// every server that never talks to Cloudflare. It is found next to the executable (where
/// `swift build` puts it), or at `RADAR_RPC_HTTP_LIBRARY`.
struct HTTPLibrary: @unchecked Sendable {
  typealias Callback =
    @convention(c) (
      UnsafeMutableRawPointer?, Int32, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafePointer<CChar>?
    ) -> Void
  typealias Create = @convention(c) (Int32) -> UnsafeMutableRawPointer
  typealias Get =
    @convention(c) (
      UnsafeMutableRawPointer, UnsafePointer<CChar>, UnsafePointer<UInt8>?, Int, Int64, UnsafeMutableRawPointer?,
      Callback
    ) -> UInt64
  typealias Cancel = @convention(c) (UnsafeMutableRawPointer, UInt64) -> Void

  // Function pointers into a library that is never unloaded: safe to share between threads.
  let create: Create
  let get: Get
  let cancel: Cancel

  #if canImport(Darwin)
    static let fileName = "libRadarHTTP.dylib"
  #else
    static let fileName = "libRadarHTTP.so"
  #endif

  private static let loaded = Locked<Result<HTTPLibrary, RadarError>?>(nil)

  /// The library, loading it on first use; the failure (with what was tried) is remembered.
  static func shared(environment: [String: String]) -> Result<HTTPLibrary, RadarError> {
    loaded.withLock { cached in
      if let cached { return cached }
      let result = load(candidates: candidates(environment: environment))
      cached = result
      return result
    }
  }

  /// `RADAR_RPC_HTTP_LIBRARY` alone when it is set (a wrong explicit path is an error, not a
  /// reason to load another copy), else the executable's directory.
  static func candidates(environment: [String: String]) -> [String] {
    if let explicit = environment["RADAR_RPC_HTTP_LIBRARY"], !explicit.isEmpty { return [explicit] }
    return executableDirectory().map { [$0 + "/" + fileName] } ?? []
  }

  static func load(candidates: [String]) -> Result<HTTPLibrary, RadarError> {
    var failures: [String] = []
    for path in candidates {
      guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
        failures.append(dlerror().map { String(cString: $0) } ?? path)
        continue
      }
      guard let version = dlsym(handle, "radar_http_abi_version"),
        unsafeBitCast(version, to: (@convention(c) () -> Int32).self)() == 1,
        let create = dlsym(handle, "radar_http_create"), let get = dlsym(handle, "radar_http_get"),
        let cancel = dlsym(handle, "radar_http_cancel")
      else {
        return .failure(.unavailable(reason: "\(path) is not a compatible radar-rpc HTTP library"))
      }
      return .success(
        HTTPLibrary(
          create: unsafeBitCast(create, to: Create.self), get: unsafeBitCast(get, to: Get.self),
          cancel: unsafeBitCast(cancel, to: Cancel.self)))
    }
    let tried = candidates.isEmpty ? "no location" : failures.joined(separator: "; ")
    return .failure(
      .unavailable(
        reason:
          "the HTTP library \(fileName) was not found (tried \(tried)); it is built by `swift build` next to "
          + "radar-rpc — install it beside the executable or set RADAR_RPC_HTTP_LIBRARY"))
  }

  /// The directory of the running executable (`/proc/self/exe` on Linux).
  static func executableDirectory() -> String? {
    #if os(Linux)
      var buffer = [CChar](repeating: 0, count: 4096)
      let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
      guard n > 0 else { return nil }
      let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #else
      var size: UInt32 = 4096
      var buffer = [CChar](repeating: 0, count: Int(size))
      guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
      let path = String(cString: buffer)
    #endif
    guard let slash = path.lastIndex(of: "/") else { return nil }
    return String(path[..<slash])
  }
}
