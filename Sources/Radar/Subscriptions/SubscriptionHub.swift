public import JSON
import SystemSupport

/// The id of one live subscription (`"sub-1"`, …), unique for the life of the server.
public struct SubscriptionID: Sendable, Hashable, CustomStringConvertible {
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }
}

/// What a subscriber receives: a result that differs from the last one it was sent, or the
/// error of a failed poll (the subscription goes on).
public enum SubscriptionUpdate: Sendable, Equatable {
  case result(JSONValue)
  case failure(RadarError)
}

/// Live subscriptions to Radar requests, polled on an interval.
///
/// Subscriptions with the same canonical request and interval share ONE poller, and each
/// subscriber gets its own updates: at once when it is activated (the latest result, or the
/// first poll's), then whenever a poll returns something that differs from the last result
/// *that subscriber* was sent. Polls go through the client actor (coalescing, rate limit,
/// retries) but skip the cache read. A failed poll sends a failure and the poller backs off
/// (doubling the interval, up to 5 minutes). No poller outlives its last subscriber.
public actor SubscriptionHub {
  public typealias Deliver = @Sendable (SubscriptionID, SubscriptionUpdate) async -> Void

  /// Why ``subscribe(_:interval:deliver:)`` made no subscription.
  public enum Refusal: Error, Sendable, Equatable {
    /// More subscriptions than `maxSubscriptions` were asked for.
    case limitReached(limit: Int)
    /// ``stopAll()`` has run (shutdown, end of input): no subscription starts after it.
    case stopped
  }

  private struct PollerKey: Hashable {
    let requestKey: String
    let interval: Duration
  }

  private struct Poller {
    var task: Task<Void, Never>? = nil
    var subscribers: Set<SubscriptionID> = []
    var latest: SubscriptionUpdate? = nil
  }

  private struct Subscriber {
    let poller: PollerKey
    let deliver: Deliver
    var active = false
    /// The last update sent to this subscriber (results compare by content).
    var lastSent: SubscriptionUpdate? = nil
  }

  private let client: RadarClient
  private let maxSubscriptions: Int
  private let clock: any Clock<Duration>
  private var pollers: [PollerKey: Poller] = [:]
  private var subscribers: [SubscriptionID: Subscriber] = [:]
  private var nextID = 1
  private var stopped = false
  /// Updates being handed to their subscribers now (a `deliver` call suspended), and who waits
  /// for them to end (``stopAll()``).
  private var deliveriesInProgress = 0
  private var deliveriesEnded: [CheckedContinuation<Void, Never>] = []
  /// ``count`` and ``pollerCount``, copied whenever either changes: ``counts`` reads them
  /// without a hop onto the actor.
  private let published = Locked((subscriptions: 0, pollers: 0))

  /// Live subscriptions per server unless `--max-subscriptions` says otherwise.
  public static let defaultMaxSubscriptions = 256

  public init(client: RadarClient, maxSubscriptions: Int, clock: any Clock<Duration> = ContinuousClock()) {
    self.client = client
    self.maxSubscriptions = maxSubscriptions
    self.clock = clock
  }

  /// Subscriptions alive now.
  public var count: Int { subscribers.count }

  /// Pollers running now (shared between identical subscriptions).
  public var pollerCount: Int { pollers.count }

  /// ``count`` and ``pollerCount`` together, read at once from any thread without waiting for
  /// the actor (`server.stats` on the connection's reader thread): as of the hub's last change.
  public nonisolated var counts: (subscriptions: Int, pollers: Int) { published.withLock { $0 } }

  /// Copies the counts for ``counts``; called after every change to `subscribers` or `pollers`.
  private func publishCounts() {
    let now = (subscriptions: subscribers.count, pollers: pollers.count)
    published.withLock { $0 = now }
  }

  /// The longest interval between polls (contract §5: `intervalSeconds` is at most 86400).
  public static let longestInterval = Duration.seconds(86_400)

  /// Registers a subscription and starts its poller (or joins a running one). It receives
  /// nothing until ``activate(_:)``, so the caller can first answer the request that created it;
  /// a caller that cannot deliver that answer (the request was cancelled) must ``unsubscribe(_:)``.
  /// - Parameter interval: time between polls, saturated into 1 ms … ``longestInterval`` (the
  ///   server has checked the range already; this keeps any value out of a sleep that would trap).
  public func subscribe(_ request: RadarRequest, interval: Duration, deliver: @escaping Deliver) throws(Refusal)
    -> SubscriptionID
  {
    guard !stopped else { throw .stopped }
    guard subscribers.count < maxSubscriptions else { throw .limitReached(limit: maxSubscriptions) }
    let interval = min(max(interval, .milliseconds(1)), Self.longestInterval)
    let id = SubscriptionID("sub-\(nextID)")
    nextID += 1
    let key = PollerKey(requestKey: request.key, interval: interval)
    subscribers[id] = Subscriber(poller: key, deliver: deliver)
    var poller = pollers[key] ?? Poller()
    poller.subscribers.insert(id)
    if poller.task == nil {
      poller.task = Task { [weak self] in await self?.poll(request, key: key) }
    }
    pollers[key] = poller
    publishCounts()
    return id
  }

  /// Starts deliveries to `id`: the latest known update at once, if there is one.
  public func activate(_ id: SubscriptionID) async {
    guard var subscriber = subscribers[id], !subscriber.active else { return }
    subscriber.active = true
    let latest = pollers[subscriber.poller]?.latest
    if let latest { subscriber.lastSent = latest }
    subscribers[id] = subscriber
    if let latest { await delivering { await subscriber.deliver(id, latest) } }
  }

  /// Ends `id`; false when there is no such subscription. Stops its poller if it was the last.
  @discardableResult
  public func unsubscribe(_ id: SubscriptionID) -> Bool {
    guard let subscriber = subscribers.removeValue(forKey: id) else { return false }
    pollers[subscriber.poller]?.subscribers.remove(id)
    if pollers[subscriber.poller]?.subscribers.isEmpty == true {
      pollers.removeValue(forKey: subscriber.poller)?.task?.cancel()
    }
    publishCounts()
    return true
  }

  /// Ends every subscription and stops every poller (shutdown, end of input); later calls of
  /// ``subscribe(_:interval:deliver:)`` are refused. Returns once no update is being delivered
  /// either, so nothing a subscription sends follows what the caller sends next (`shutdown`'s
  /// answer, contract §4).
  public func stopAll() async {
    stopped = true
    for poller in pollers.values { poller.task?.cancel() }
    pollers.removeAll()
    subscribers.removeAll()
    publishCounts()
    // No delivery starts from here on (there are no subscribers); wait for those under way.
    if deliveriesInProgress > 0 {
      await withCheckedContinuation { deliveriesEnded.append($0) }
    }
  }

  /// Runs one delivery, counted while it runs (see ``stopAll()``).
  private func delivering(_ deliver: () async -> Void) async {
    deliveriesInProgress += 1
    await deliver()
    deliveriesInProgress -= 1
    if deliveriesInProgress == 0 {
      for waiter in deliveriesEnded { waiter.resume() }
      deliveriesEnded = []
    }
  }

  // MARK: - Polling

  private func poll(_ request: RadarRequest, key: PollerKey) async {
    var failures = 0
    while !Task.isCancelled {
      let update: SubscriptionUpdate
      do {
        update = .result(try await client.fetch(request, cachePolicy: .refresh).value)
        failures = 0
      } catch let error as RadarError {
        update = .failure(error)
        failures += 1
      } catch {
        return  // cancelled: the last subscriber left
      }
      for (id, deliver) in recordPoll(update, key: key) {
        await delivering { await deliver(id, update) }
      }
      let delay = failures == 0 ? key.interval : Self.backoff(key.interval, failures: failures)
      do { try await clock.sleep(for: delay) } catch { return }
    }
  }

  /// Stores a poll's outcome and returns the deliveries it causes.
  private func recordPoll(_ update: SubscriptionUpdate, key: PollerKey) -> [(SubscriptionID, Deliver)] {
    guard var poller = pollers[key] else { return [] }
    poller.latest = update
    pollers[key] = poller
    var deliveries: [(SubscriptionID, Deliver)] = []
    for id in poller.subscribers {
      guard var subscriber = subscribers[id], subscriber.active else { continue }
      // Failures are always reported; a result only when it differs from the last one sent
      // (and always after a failure, so a client sees the recovery).
      if case .result = update, subscriber.lastSent == update { continue }
      subscriber.lastSent = update
      subscribers[id] = subscriber
      deliveries.append((id, subscriber.deliver))
    }
    return deliveries
  }

  static func backoff(_ interval: Duration, failures: Int) -> Duration {
    let cap = max(interval, .seconds(300))
    var delay = interval
    for _ in 1..<min(max(1, failures), 64) where delay < cap { delay *= 2 }
    return min(delay, cap)
  }
}
