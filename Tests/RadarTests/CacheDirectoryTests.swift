import Testing

@testable import Radar

/// Where the shared cache lives by default: the XDG base directory specification's cache
/// directory (`$XDG_CACHE_HOME`, else `~/.cache`), then `radar-rpc`.
@Suite struct CacheDirectoryTests {
  @Test func xdgCacheHomeComesFirst() {
    let directory = CacheDirectory.standard(environment: ["XDG_CACHE_HOME": "/x/cache/", "HOME": "/home/u"])
    #expect(directory?.path == "/x/cache/radar-rpc")
    #expect(CacheDirectory.standard(environment: ["XDG_CACHE_HOME": "/"])?.path == "/radar-rpc")
  }

  @Test func aRelativeXDGCacheHomeIsIgnored() {
    let directory = CacheDirectory.standard(environment: ["XDG_CACHE_HOME": "cache", "HOME": "/home/u"])
    #expect(directory?.path == "/home/u/.cache/radar-rpc")
  }

  @Test func withoutXDGCacheHomeItIsUnderHome() {
    #expect(CacheDirectory.standard(environment: ["HOME": "/home/u"])?.path == "/home/u/.cache/radar-rpc")
  }

  @Test func trailingSlashesOfAGivenPathGo() {
    #expect(CacheDirectory(path: "/tmp/c//").path == "/tmp/c")
    #expect(CacheDirectory(path: "/").path == "/")
  }
}
