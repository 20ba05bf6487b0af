import Diagnostics
import JSON
import JSONRPC
import Radar
import RadarProtocol

/// The methods radar-rpc serves, on top of the transport's own (`$/cancelRequest`,
/// `shutdown`, `exit`): lifecycle, discovery, stats, the Radar methods of the method table,
/// and subscriptions. It only routes and translates; the work is done by the protocol layer
/// (validation, canonical requests) and the Radar layer (fetching).
final class ServerHandler: RequestHandler {
  let methods: MethodTable
  let client: RadarClient
  let subscriptions: SubscriptionService
  /// Where `initializationOptions.apiToken` goes; `nil` with the demo backend.
  let credentials: CredentialStore?
  /// `--max-series` and the like: what one Radar call may ask for.
  let limits: RequestLimits
  private let startedAt = ContinuousClock.now

  init(
    methods: MethodTable, client: RadarClient, subscriptions: SubscriptionService, credentials: CredentialStore?,
    limits: RequestLimits = RequestLimits()
  ) {
    self.limits = limits
    self.methods = methods
    self.client = client
    self.subscriptions = subscriptions
    self.credentials = credentials
  }

  func handle(_ request: JSONRPCRequest, context: RequestContext) async throws -> JSONValue {
    // Strings that are not valid Unicode fail a Radar method's params with its other violations;
    // for any other method they are the whole answer (contract §3: -32602 at their paths).
    if !request.loneSurrogates.isEmpty, methods.radarMethod(named: request.method) == nil,
      request.method != "radar.subscribe"
    {
      throw ResponseError(InvalidParams(violations: request.loneSurrogates.map(Violation.notUnicode)))
    }
    switch request.method {
    case "initialize":
      return try initialize(request.params)
    case "rpc.discover":
      try Self.expectNoParams(request)
      return methods.document
    case "server.stats":
      try Self.expectNoParams(request)
      return await stats(context)
    case "radar.subscribe":
      return try await subscriptions.subscribe(
        request.params, loneSurrogates: request.loneSurrogates, limits: limits, context: context)
    case "radar.unsubscribe":
      return try await subscriptions.unsubscribe(request.params)
    default:
      if let method = methods.radarMethod(named: request.method) {
        return try await RadarCall(
          method: method, params: request.params, loneSurrogates: request.loneSurrogates, limits: limits,
          client: client,
          context: context
        ).run()
      }
      throw ResponseError.methodNotFound(
        request.method, didYouMean: Suggestions.closest(to: request.method, among: methods.methodNames))
    }
  }

  func handle(_ notification: JSONRPCNotification, context: RequestContext) async {
    switch notification.method {
    case "initialized":
      Logger.shared.debug("client initialized")
    default:
      // Unknown notifications are ignored; `$/…` ones silently, as LSP asks.
      if !notification.method.hasPrefix("$/") {
        Logger.shared.info("ignored unknown notification \(notification.method)")
      }
    }
  }

  func shutdown() async {
    await subscriptions.stopAll(reason: "shutdown")
  }

  func inputClosed() async {
    await subscriptions.stopAll(reason: "end of input")
  }

  // MARK: - Methods

  private func initialize(_ params: JSONValue?) throws -> JSONValue {
    if let params, params.objectValue == nil, params.arrayValue?.isEmpty != true, !params.isNull {
      throw ResponseError(.invalidParams, "Invalid params: initialize takes an object")
    }
    if let token = params?["initializationOptions"]?["apiToken"] {
      guard case .string(let value) = token, !value.isEmpty else {
        throw ResponseError(
          .invalidParams, "Invalid params: initializationOptions.apiToken must be a non-empty string",
          data: ["errors": [["path": "/initializationOptions/apiToken", "message": "must be a non-empty string"]]])
      }
      if let credentials {
        credentials.set(.apiToken(value))
        Logger.shared.info("using the API token from initializationOptions")
      } else {
        Logger.shared.info("initializationOptions.apiToken ignored: the demo backend needs no credentials")
      }
    }
    return [
      "serverInfo": ["name": "radar-rpc", "version": .string(RadarRPCVersion.current)],
      "capabilities": [
        "methods": .array(methods.methodNames.map { .string($0) }),
        "partialResults": true,
        "workDoneProgress": true,
        "subscriptions": true,
      ],
      "backend": .string(client.backendName),
    ]
  }

  private func stats(_ context: RequestContext) async -> JSONValue {
    let load = context.load
    let radar = await client.stats()
    let subscriptionCount = await subscriptions.count
    return ServerStats(
      radar: radar, inFlight: max(0, load.running - 1), queued: load.queued, subscriptions: subscriptionCount,
      backend: client.backendName, uptimeSeconds: (ContinuousClock.now - startedAt).seconds
    ).json
  }

  /// Methods that take no params accept them missing, `null`, `{}` or `[]` (clients differ).
  static func expectNoParams(_ request: JSONRPCRequest) throws {
    switch request.params {
    case nil, .null?: return
    case .object(let o)? where o.isEmpty: return
    case .array(let a)? where a.isEmpty: return
    default:
      throw ResponseError(.invalidParams, "Invalid params: \(request.method) takes no params")
    }
  }
}

extension Duration {
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }
}
