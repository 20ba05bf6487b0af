import Foundation
import JSON
import TestSupport
import Testing

@testable import Radar

/// The libcurl transport on its own, against `fake_cloudflare.py` and a local TLS server.
@Suite struct HTTPTransportTests {
  private static let headers: [(name: String, value: String)] = [("Authorization", "Bearer any")]

  @Test func atMostMaxConnectionsRequestsAtOnce() async throws {
    let fake = try await FakeCloudflare.start([])
    defer { fake.stop() }
    try await fake.script([fault("ok", ["delayMs": 200, "times": -1])])
    let transport = HTTPTransport(maxConnections: 2, environment: [:])
    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
      for i in 0..<5 {
        group.addTask {
          try await transport.get(
            fake.baseURL + "/radar/ct/timeseries_groups/CA?limitPerGroup=\(i + 2)", headers: Self.headers,
            timeout: .seconds(30)
          ).status
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(statuses == [200, 200, 200, 200, 200])
    let counters = try await fake.counters()
    // What the fake saw, should it be more than the five: each request's query and client port
    // (a foreign request, or one libcurl sent twice, tells itself apart this way).
    let seen = try await fake.requests().map { "\($0["query"]?.stringValue ?? "") from \($0["clientPort"] ?? .null)" }
    #expect(counters["total"] == 5, "\(seen)")
    #expect((counters["concurrentMax"]?.intValue ?? 99) <= 2, "\(seen)")
  }

  @Test func aTaskCancelledBeforeTheRequestSendsNothing() async throws {
    let fake = try await FakeCloudflare.start([])
    defer { fake.stop() }
    let transport = HTTPTransport(maxConnections: 2, environment: [:])
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await transport.get(
        fake.baseURL + "/radar/ct/timeseries_groups/CA", headers: Self.headers, timeout: .seconds(30))
    }
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(try await fake.total() == 0)
  }

  @Test func responseHeadersHaveLowerCasedNamesAndRepeatedOnesJoined() async throws {
    let fake = try await FakeCloudflare.start([])
    defer { fake.stop() }
    try await fake.script([fault("ok", ["headers": ["X-Radar-Test": "one"]])])
    let transport = HTTPTransport(maxConnections: 1, environment: [:])
    let response = try await transport.get(
      fake.baseURL + "/radar/ct/timeseries_groups/CA", headers: Self.headers, timeout: .seconds(30))
    #expect(response.headers["x-radar-test"] == "one")
    #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
    #expect(try JSONParser.parse(response.body)["success"] == true)
  }

  /// Contract §7: the work one answer causes is bounded. A `Content-Length` past the limit ends
  /// the transfer before the body is read; a body without one (chunked), or one that grows when
  /// decoded (gzip), is cut as soon as it passes the limit: a gigabyte is never read.
  @Test func anAnswerPastTheLimitIsCutShort() async throws {
    let fake = try await FakeCloudflare.start([])
    defer { fake.stop() }
    let transport = HTTPTransport(maxConnections: 1, environment: [:])
    let url = fake.baseURL + "/radar/ct/timeseries_groups/CA"
    let whole = try await transport.get(url, headers: Self.headers, timeout: .seconds(30))
    let length = try #require(Int(whole.headers["content-length"] ?? ""))
    #expect(length == whole.body.count && length > 64)
    // The body's size exactly is fine; one byte less is not.
    let exact = try await transport.get(url, headers: Self.headers, timeout: .seconds(30), maxBodyBytes: length)
    #expect(exact.body == whole.body)
    await #expect(throws: RadarError.answerTooLarge(estimatedBytes: length, limit: length - 1)) {
      try await transport.get(url, headers: Self.headers, timeout: .seconds(30), maxBodyBytes: length - 1)
    }
    let limit = 1 << 20
    // 1 GiB plain; 256 MiB gzip-encoded, which is about 256 KB on the wire, under the limit: only
    // a bound on the decoded bytes stops it.
    for (gzip, bytes) in [(false, 1 << 30), (true, 1 << 28)] {
      try await fake.script([fault("flood", ["gzip": .bool(gzip), "bytes": .number(JSONNumber(bytes))])])
      do {
        let response = try await transport.get(url, headers: Self.headers, timeout: .seconds(600), maxBodyBytes: limit)
        Issue.record("a gigabyte answer was taken whole (\(response.body.count) bytes, gzip \(gzip))")
      } catch RadarError.answerTooLarge(let bytes, let reported) {
        #expect(reported == limit)
        // Cut where it passed the limit: curl hands bodies over in pieces of at most 16 KiB.
        #expect(bytes > limit && bytes <= limit + (1 << 16), "gzip \(gzip): \(bytes)")
      }
    }
    #expect(try await fake.total() == 5)
  }

  /// TLS peers are verified: a self-signed certificate ends the request before anything is sent.
  @Test func anUntrustedCertificateIsRefused() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("radar-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = [
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-keyout", directory.appendingPathComponent("key.pem").path, "-out",
      directory.appendingPathComponent("cert.pem").path,
    ]
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
    let server = try ChildProcess(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "python3", "-c",
        """
        import http.server, os, ssl, sys
        os.chdir(sys.argv[1])
        httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain("cert.pem", "key.pem")
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        print("PORT", httpd.server_address[1], flush=True)
        httpd.serve_forever()
        """,
        directory.path,
      ])
    let pipes = server
    defer { server.terminate() }
    let port = try #require(Int(String(decoding: pipes.stdout.readLine(), as: UTF8.self).dropFirst(5)))
    let transport = HTTPTransport(maxConnections: 1, environment: [:])
    await #expect(throws: RadarError.unavailable(reason: "TLS certificate verification failed")) {
      try await transport.get("https://127.0.0.1:\(port)/", headers: Self.headers, timeout: .seconds(30))
    }
  }
}
