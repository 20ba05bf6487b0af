// swift-tools-version: 6.0
//
// radar-rpc: a JSON-RPC 2.0 service over stdio for Cloudflare Radar.
//
// The targets are the layers, so the compiler keeps them apart:
//
//   JSON           JSON values, a parser and a writer we own (exact ids and numbers).
//   JSONRPC        the transport: framing, JSON-RPC messages, the connection. Knows nothing of Radar.
//   Radar          the Radar side: requests, backends (live HTTP, demo), the client actor with
//                  coalescing, cache, rate limit and retries, subscriptions. Knows nothing of JSON-RPC.
//   RadarProtocol  the method table and schema validation, read from protocol/openrpc.json.
//   RadarServer    wires the three together: method handlers, lifecycle, stats, progress.
//   Diagnostics    logging to standard error, with secrets redacted.
//   SystemSupport  the low-level pieces over the C library: `Locked<Value>` (the pthread lock shared
//                  state lives behind; ThreadSanitizer sees it), `Condition`, `Deadline`, `startThread`,
//                  `writeAll`.
//   CCurl          libcurl's documented C API, loaded with dlopen by the live backend on its first request.
//   radar-rpc      the executable: a thin main.
//   radar-benchmarks  in-process micro-benchmarks (process-level benchmarks live in bench/).
//
// No package dependencies: the toolchain's Foundation, Dispatch and XCTest / Swift Testing, and
// the system's libcurl through its C API (loaded at run time, not linked).
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "radar-rpc",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "radar-rpc", targets: ["radar-rpc"])
  ],
  targets: [
    .target(name: "JSON", swiftSettings: strict, linkerSettings: [.linkedLibrary("m")]),
    .target(name: "SystemSupport", swiftSettings: strict),
    .target(name: "Diagnostics", dependencies: ["SystemSupport"], swiftSettings: strict),
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
    .target(name: "JSONRPC", dependencies: ["JSON", "Diagnostics", "SystemSupport"], swiftSettings: strict),
    .target(
      name: "Radar", dependencies: ["JSON", "Diagnostics", "SystemSupport", "CCurl"], swiftSettings: strict,
      linkerSettings: [.linkedLibrary("m")]),
    // protocol/openrpc.json is compiled into the binary (through the symlink
    // Sources/RadarProtocol/openrpc.json): rpc.discover serves it, validation reads it.
    .target(
      name: "RadarProtocol", dependencies: ["JSON", "Radar", "Diagnostics", "SystemSupport"],
      resources: [.embedInCode("openrpc.json")], swiftSettings: strict),
    .target(
      name: "RadarServer", dependencies: ["JSON", "JSONRPC", "Radar", "RadarProtocol", "Diagnostics", "SystemSupport"],
      swiftSettings: strict),
    .executableTarget(name: "radar-rpc", dependencies: ["RadarServer", "SystemSupport"], swiftSettings: strict),
    .executableTarget(
      name: "radar-benchmarks", dependencies: ["JSON", "Radar", "RadarProtocol", "SystemSupport"],
      path: "Sources/RadarBenchmarks",
      swiftSettings: strict),

    // Helpers shared by the test targets that spawn processes (servers, the fake Cloudflare).
    .target(
      name: "TestSupport", dependencies: ["JSON", "SystemSupport"], path: "Tests/TestSupport", swiftSettings: strict),
    .testTarget(name: "JSONTests", dependencies: ["JSON"]),
    .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"]),
    .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "SystemSupport"]),
    .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "JSON", "SystemSupport", "TestSupport"]),
    .testTarget(name: "RadarTests", dependencies: ["Radar", "JSON", "Diagnostics", "SystemSupport", "TestSupport"]),
    .testTarget(name: "RadarProtocolTests", dependencies: ["RadarProtocol", "Radar", "JSON"]),
    .testTarget(
      name: "RadarServerTests", dependencies: ["RadarServer", "JSONRPC", "Radar", "RadarProtocol", "JSON"],
      exclude: ["Snapshots"]),
    .testTarget(
      name: "EndToEndTests", dependencies: ["JSON", "JSONRPC", "RadarProtocol", "SystemSupport", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
