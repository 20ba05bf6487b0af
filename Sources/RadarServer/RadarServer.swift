import Diagnostics
import JSONRPC
import Radar
import RadarProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The composition root: parses the command line, builds the layers and serves stdio.
///
/// `main` only calls ``run(arguments:environment:)`` and exits with its status.
public enum RadarServer {
  /// Runs the server; returns the process exit status (0 normal, 1 `exit` without `shutdown`,
  /// 2 a usage or configuration error, 128 + N after signal N).
  public static func run(arguments: [String], environment: [String: String]) async -> Int32 {
    let options: ServerOptions
    do {
      options = try ServerOptions.parse(arguments)
    } catch {
      StandardOutput.writeError("radar-rpc: \(error)\nRun radar-rpc --help for the options.\n")
      return 2
    }
    if options.showHelp {
      StandardOutput.writeAnswerInsteadOfServing(Usage.text + "\n")
      return 0
    }
    if options.showVersion {
      StandardOutput.writeAnswerInsteadOfServing("radar-rpc \(RadarRPCVersion.current)\n")
      return 0
    }
    Logger.shared.level = options.logLevel
    if options.clearCache { return await SharedCacheSetup.clear(options, environment: environment) }
    signal(SIGPIPE, SIG_IGN)

    let backend: any RadarBackend
    var credentials: CredentialStore? = nil
    var shared: (cache: SharedCache?, budget: SharedRateBudget?) = (nil, nil)
    switch options.backend {
    case .demo:
      backend = DemoBackend(latency: options.demoLatency, maxAnswerBytes: options.connection.maxMessageBytes)
    case .live:
      let baseURL: BaseURL
      do {
        baseURL = try BaseURL.resolve(argument: options.baseURL, environment: environment)
      } catch {
        StandardOutput.writeError("radar-rpc: \(error)\n")
        return 2
      }
      // No warning about missing credentials yet: `initialize` may bring a token (contract §4).
      let store = CredentialStore(environment: environment)
      credentials = store
      shared = SharedCacheSetup.make(options, baseURL: baseURL, credentials: store, environment: environment)
      backend = LiveBackend(
        baseURL: baseURL, credentials: store, timeout: options.timeout, maxConnections: options.client.maxConnections,
        maxAnswerBytes: options.connection.maxMessageBytes, environment: environment)
    }

    let methods = MethodTable.embedded
    let client = RadarClient(
      backend: backend, configuration: options.client, sharedCache: shared.cache, sharedBudget: shared.budget)
    let hub = SubscriptionHub(client: client, maxSubscriptions: options.maxSubscriptions)
    let handler = ServerHandler(
      methods: methods, client: client, subscriptions: SubscriptionService(hub: hub, methods: methods),
      credentials: credentials, limits: options.limits)
    let framesFD = StandardOutput.claimForFrames()
    let connection = Connection(
      configuration: options.connection, handler: handler, input: 0, output: framesFD)
    // SIGTERM, SIGINT, SIGHUP: requests in flight answered -32802, exit 128 + signal (contract §4).
    connection.terminateOnSignals([SIGTERM, SIGINT, SIGHUP])
    Logger.shared.info("radar-rpc \(RadarRPCVersion.current) serving on stdio (backend \(backend.name))")
    return await connection.run()
  }
}
