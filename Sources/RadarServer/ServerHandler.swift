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
  private let missingCredentials: MissingCredentialsWarning?
  /// `--max-series` and the like: what one Radar call may ask for.
  let limits: RequestLimits
  /// Canonical requests of earlier Radar calls, by their params' bytes.
  let canonicalRequests: CanonicalRequestMemo
  private let startedAt = ContinuousClock.now

  init(
    methods: MethodTable, client: RadarClient, subscriptions: SubscriptionService, credentials: CredentialStore?,
    limits: RequestLimits = RequestLimits()
  ) {
    self.limits = limits
    self.canonicalRequests = CanonicalRequestMemo(limits: limits)
    self.methods = methods
    self.client = client
    self.subscriptions = subscriptions
    self.credentials = credentials
    self.missingCredentials = credentials.map(MissingCredentialsWarning.init(store:))
  }

  func handle(_ request: JSONRPCRequest, context: RequestContext) async throws -> JSONValue {
    if let method = methods.radarMethod(named: request.method) {
      missingCredentials?.check("for \(request.method)")
      // Its params are checked against the document while they are canonicalised (or were, for
      // the same bytes, by an earlier call: `canonicalRequests`).
      return try await RadarCall(
        method: method, request: request, canonicalRequests: canonicalRequests, client: client, context: context
      ).run()
    }
    if request.method == "radar.subscribe" { missingCredentials?.check("for \(request.method)") }
    guard methods.contains(request.method) else { throw notFound(request) }
    if request.method == "radar.subscribe" {
      // Checks its params against the document itself, to report them with its Radar method's.
      return try await subscriptions.subscribe(
        request.params, loneSurrogates: request.loneSurrogates, limits: limits, context: context)
    }
    // Every other method's params are checked against the document too, before it runs; strings
    // that are not valid Unicode are violations at their paths (contract §3).
    let violations =
      request.loneSurrogates.map(Violation.notUnicode)
      + methods.paramViolations(method: request.method, params: request.params)
    guard violations.isEmpty else { throw InvalidParams(violations: violations) }
    switch request.method {
    case "initialize":
      return initialize(request.params)
    case "rpc.discover":
      return methods.document
    case "server.stats":
      // Here only with a progress token or a duplicate id (else `answerAtOnce`): `running`
      // counts this request itself.
      let load = context.load
      return stats(inFlight: max(0, load.running - 1), queued: load.queued)
    case "radar.unsubscribe":
      return try await subscriptions.unsubscribe(request.params)
    default:
      // In the document but answered by the transport (`shutdown`), so never seen here.
      throw notFound(request)
    }
  }

  /// On the connection's reader thread, without a task: `server.stats` with valid params, and a
  /// Radar call whose params' bytes are in ``canonicalRequests`` and whose result is in the
  /// client's memory cache (counted as the memory hit it is). Everything else — a miss, a hit of
  /// the shared cache on disk (a file read), params to check, subscriptions — returns `nil` and
  /// is handled by ``handle(_:context:)``, which answers these the same way.
  func answerAtOnce(_ request: JSONRPCRequest, load: (running: Int, queued: Int)) -> Result<JSONValue, ResponseError>? {
    if request.method == "server.stats" {
      // It takes no params: none, `{}` and `[]` pass; anything else is checked the normal way.
      switch request.params {
      case nil, .null: break
      case .object(let members) where members.isEmpty: break
      case .array(let elements) where elements.isEmpty: break
      default: return nil
      }
      // Not admitted, so `running` does not count this request.
      return .success(stats(inFlight: load.running, queued: load.queued))
    }
    // Params bytes canonicalised before are a Radar method's (only those are memoised).
    guard
      let canonical = canonicalRequests.memoised(
        method: request.method, paramsBytes: request.paramsBytes, invalidUnicode: request.loneSurrogates),
      let hit = client.cachedResult(canonical)
    else { return nil }
    missingCredentials?.check("for \(request.method)")
    return .success(hit.value)
  }

  private func notFound(_ request: JSONRPCRequest) -> MethodNotFound {
    MethodNotFound(
      method: request.method, didYouMean: Suggestions.closest(to: request.method, among: methods.methodNames))
  }

  /// The document's notifications (`initialized`, `exit`, `$/cancelRequest`): the connection
  /// answers one sent with an id (`null`, or -32600 after `shutdown`), so `handle(_:context:)`
  /// above never sees them.
  var notificationMethods: Set<String> { Set(methods.methodNames.filter(methods.isNotification)) }

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
    await subscriptions.stopAll()
  }

  func inputClosed() async {
    await subscriptions.stopAll()
  }

  // MARK: - Methods

  /// `params` already passed the document's `initialize` params (so an `apiToken` is a non-empty string).
  private func initialize(_ params: JSONValue?) -> JSONValue {
    if case .string(let token)? = params?["initializationOptions"]?["apiToken"] {
      if let credentials {
        credentials.set(.apiToken(token), source: "initializationOptions.apiToken")
        Logger.shared.info("using the API token from initializationOptions")
      } else {
        Logger.shared.info("initializationOptions.apiToken ignored: the demo backend needs no credentials")
      }
    }
    missingCredentials?.check("after initialize (no initializationOptions.apiToken)")
    let custom: JSONObject = [
      "methods": .array(methods.methodNames.map { .string($0) }),
      "partialResults": true,
      "workDoneProgress": true,
      "subscriptions": true,
    ]
    // LSP's `ServerCapabilities.experimental` is where typed LSP clients (lsprotocol, pygls) keep
    // what they do not know: the same members again, with `backend` (contract §4).
    var experimental = custom
    experimental["backend"] = .string(client.backendName)
    var capabilities = custom
    capabilities["experimental"] = .object(experimental)
    return [
      "serverInfo": ["name": "radar-rpc", "version": .string(RadarRPCVersion.current)],
      "capabilities": .object(capabilities),
      "backend": .string(client.backendName),
    ]
  }

  /// `inFlight`: requests being handled other than the `server.stats` request itself.
  private func stats(inFlight: Int, queued: Int) -> JSONValue {
    let radar = client.statsNow()
    let counts = subscriptions.counts
    return ServerStats(
      radar: radar, inFlight: inFlight, queued: queued, subscriptions: counts.subscriptions,
      pollers: counts.pollers, backend: client.backendName,
      uptimeSeconds: (ContinuousClock.now - startedAt) / .seconds(1)
    ).json
  }
}
