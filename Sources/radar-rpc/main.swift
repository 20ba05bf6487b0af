// radar-rpc: Cloudflare Radar as a JSON-RPC 2.0 service over standard input and output.
// Everything lives in the RadarServer library; main only runs it and exits with its status.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RadarServer

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let status = await RadarServer.run(
  arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(status)
