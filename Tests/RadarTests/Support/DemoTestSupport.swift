import Foundation
import JSON
import Radar
import Testing

/// Requests and answer readers shared by the demo backend's tests.
enum DemoFixture {
  /// 2026-11-16T10:37:12Z, a Monday.
  static let now = Date(timeIntervalSince1970: 1_794_825_432)
  static let nowSeconds: Int64 = 1_794_825_432
  static let backend = DemoBackend(now: { now })

  struct Endpoint: Sendable, CustomStringConvertible {
    let method: String
    let template: String
    let dimensions: [String]
    var description: String { method }
  }

  static let ct = Endpoint(
    method: "radar.ct.timeseriesGroups", template: "/radar/ct/timeseries_groups/{dimension}",
    dimensions: [
      "CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API",
      "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL",
    ])
  static let leaked = Endpoint(
    method: "radar.leakedCredentialChecks.timeseriesGroups",
    template: "/radar/leaked_credential_checks/timeseries_groups/{dimension}", dimensions: ["COMPROMISED", "BOT_CLASS"])
  static let netflows = Endpoint(
    method: "radar.netflows.timeseriesGroups", template: "/radar/netflows/timeseries_groups/{dimension}",
    dimensions: ["ADM1", "AS", "LOCATION", "PRODUCT"])
  static let endpoints = [ct, leaked, netflows]

  /// Every (endpoint, dimension) pair of the contract's method table.
  static let everyDimension: [(Endpoint, String)] = endpoints.flatMap { e in e.dimensions.map { (e, $0) } }

  static func request(_ endpoint: Endpoint, _ dimension: String, _ items: [(String, String)]) -> RadarRequest {
    RadarRequest(
      method: endpoint.method, pathTemplate: endpoint.template,
      path: endpoint.template.replacingOccurrences(of: "{dimension}", with: dimension),
      queryItems: items.map { QueryItem($0.0, $0.1) })
  }

  /// The answer as JSON, failing the test on an error.
  static func answer(
    _ endpoint: Endpoint, _ dimension: String, _ items: [(String, String)], backend: DemoBackend = backend
  ) throws -> JSONObject {
    let result = try backend.result(for: request(endpoint, dimension, items))
    return try #require(result.value.objectValue)
  }

  /// The error a request gets, or `nil` when it succeeds.
  static func error(_ endpoint: Endpoint, _ dimension: String, _ items: [(String, String)]) -> RadarError? {
    do {
      _ = try backend.result(for: request(endpoint, dimension, items))
      return nil
    } catch {
      return error
    }
  }
}

/// One series of an answer, read back into numbers.
struct DemoSeries {
  let timestamps: [String]
  let keys: [String]
  let values: [String: [Double]]
  let texts: [String: [String]]

  init(_ object: JSONObject?) throws {
    let object = try #require(object)
    timestamps = try #require(object["timestamps"]?.arrayValue).map { try #require($0.stringValue) }
    var keys: [String] = []
    var values: [String: [Double]] = [:]
    var texts: [String: [String]] = [:]
    for (key, value) in object where key != "timestamps" {
      let strings = try #require(value.arrayValue).map { try #require($0.stringValue) }
      keys.append(key)
      texts[key] = strings
      values[key] = try strings.map { try #require(Double($0), "value \($0) of \(key) is not a number") }
    }
    self.keys = keys
    self.values = values
    self.texts = texts
  }

  /// Sum over the groups at bucket `i`.
  func total(at i: Int) -> Double { keys.reduce(0) { $0 + values[$1]![i] } }

  /// Timestamps as seconds since 1970, read with Foundation (an independent reader).
  func seconds() throws -> [Int64] {
    let reader = ISO8601DateFormatter()
    return try timestamps.map {
      Int64(try #require(reader.date(from: $0), "bad timestamp \($0)").timeIntervalSince1970)
    }
  }
}

extension RadarError {
  /// The HTTP status and first Cloudflare code of an upstream error.
  var upstreamCode: (status: Int, code: Int?)? {
    if case .upstream(let status, let errors, _, _) = self { return (status, errors.first?.code) }
    return nil
  }
}

/// Reads `2026-11-16T10:00:00Z` independently of the code under test.
func demoSeconds(_ text: String?) throws -> Int64 {
  let text = try #require(text)
  return Int64(try #require(ISO8601DateFormatter().date(from: text)).timeIntervalSince1970)
}
