public import JSON
public import Radar
import SystemSupport

/// Canonical requests already made, by method and the raw bytes of their params: a client that
/// repeats a call (a dashboard polling, a notebook re-run, every cache hit) skips validation and
/// canonicalisation, which are most of a cached call's cost.
///
/// Sound because ``RadarMethod/makeRequest(params:pointerPrefix:limits:invalidUnicode:)`` is a pure
/// function of the method, the params and the limits: no rule of the document reads the clock
/// (relative ranges such as `7d` go upstream as written and Radar resolves them, contract §5), and
/// identical bytes parse to identical params. Only requests that passed are kept; params that
/// fail are checked afresh every time, so every -32602 is reported exactly as without the memo.
///
/// Bounded: at most `maxEntries` requests, none from params longer than `maxParamsBytes`; when
/// full it starts over (a client repeating a handful of calls refills it at once).
public final class CanonicalRequestMemo: Sendable {
  private struct Entry {
    let method: String
    let params: [UInt8]
    let request: RadarRequest
  }

  /// The limits every request made through this memo is checked against.
  public let limits: RequestLimits
  public let maxEntries: Int
  public let maxParamsBytes: Int
  /// By fingerprint of the params' bytes, confirmed against the method and the bytes (a
  /// collision replaces the entry: a miss, never a wrong request).
  private let requests = Locked<[Int: Entry]>([:])

  public init(limits: RequestLimits, maxEntries: Int = 256, maxParamsBytes: Int = 4096) {
    self.limits = limits
    self.maxEntries = max(0, maxEntries)
    self.maxParamsBytes = maxParamsBytes
  }

  /// The canonical request for `params` (parsed from `paramsBytes`), from the memo when these
  /// bytes were canonicalised before for `method`.
  ///
  /// - Parameter paramsBytes: the bytes `params` was parsed from; `nil` when unknown (then the
  ///   request is made without the memo).
  /// - Parameter invalidUnicode: as for ``RadarMethod/makeRequest(params:pointerPrefix:limits:invalidUnicode:)``;
  ///   a request with any is never memoised.
  /// - Throws: ``InvalidParams``, exactly as ``RadarMethod/makeRequest(params:pointerPrefix:limits:invalidUnicode:)``.
  public func request(
    _ method: RadarMethod, params: JSONValue?, paramsBytes: [UInt8]?, invalidUnicode: [String] = []
  ) throws(InvalidParams) -> RadarRequest {
    guard let paramsBytes, invalidUnicode.isEmpty, paramsBytes.count <= maxParamsBytes, maxEntries > 0 else {
      return try method.makeRequest(params: params, limits: limits, invalidUnicode: invalidUnicode)
    }
    let fingerprint = paramsBytes.withUnsafeBufferPointer { JSONParser.MemberMemo.fingerprint($0) }
    if let known = lookUp(method, paramsBytes: paramsBytes, fingerprint: fingerprint) { return known }
    let request = try method.makeRequest(params: params, limits: limits)
    requests.withLock { requests in
      if requests.count >= maxEntries { requests.removeAll(keepingCapacity: true) }
      requests[fingerprint] = Entry(method: method.name, params: paramsBytes, request: request)
    }
    return request
  }

  /// The canonical request for params of exactly `paramsBytes`, only when these bytes were
  /// canonicalised before for `method` (and passed); `nil` otherwise: nothing is checked here.
  /// What ``request(_:params:paramsBytes:invalidUnicode:)`` would return for them.
  /// `method` is a method's name: only a Radar method's requests are ever held, so any other
  /// name is `nil` (and no method table is consulted).
  public func memoised(method: String, paramsBytes: [UInt8]?, invalidUnicode: [String] = []) -> RadarRequest? {
    guard let paramsBytes, invalidUnicode.isEmpty, paramsBytes.count <= maxParamsBytes, maxEntries > 0 else {
      return nil
    }
    let fingerprint = paramsBytes.withUnsafeBufferPointer { JSONParser.MemberMemo.fingerprint($0) }
    return lookUp(method, paramsBytes: paramsBytes, fingerprint: fingerprint)
  }

  private func lookUp(_ method: RadarMethod, paramsBytes: [UInt8], fingerprint: Int) -> RadarRequest? {
    lookUp(method.name, paramsBytes: paramsBytes, fingerprint: fingerprint)
  }

  private func lookUp(_ method: String, paramsBytes: [UInt8], fingerprint: Int) -> RadarRequest? {
    requests.withLock { requests -> RadarRequest? in
      guard let entry = requests[fingerprint], entry.method == method,
        paramsBytes.withUnsafeBufferPointer({ JSONParser.MemberMemo.same(entry.params, $0) })
      else { return nil }
      return entry.request
    }
  }

  /// Requests held now (for tests).
  public var count: Int { requests.withLock { $0.count } }
}
