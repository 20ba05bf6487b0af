import Dispatch
import RadarServer
import SystemSupport

// radar-rpc: Cloudflare Radar as a JSON-RPC 2.0 service over standard input and output.
// Everything lives in the RadarServer library; main only runs it and exits with its status.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// `main` stays synchronous and exits from the main thread: calling exit() from async top-level
// code crashes valgrind 3.19, which the instruction-count benchmark (bench/) runs the server under.
// The task is detached: top-level code is main-actor isolated, and the main thread is about to block.
useOneMallocArena()  // before any thread starts: see SystemSupport/MallocArenas.swift
let status = Locked<Int32>(0)
let finished = DispatchSemaphore(value: 0)
let arguments = Array(CommandLine.arguments.dropFirst())
let environment = ProcessInfo.processInfo.environment
Task.detached {
  let code = await RadarServer.run(arguments: arguments, environment: environment)
  status.withLock { $0 = code }
  finished.signal()
}
finished.wait()
exit(status.withLock { $0 })
