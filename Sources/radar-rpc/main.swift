// radar-rpc: Cloudflare Radar as a JSON-RPC 2.0 service over standard input and output.
// Everything lives in the RadarServer library; main only runs it and exits with its status.
import Foundation
import RadarServer

exit(await RadarServer.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
