import Radar

/// The `--help` text.
enum Usage {
  static let text = """
    radar-rpc \(RadarRPCVersion.current) — Cloudflare Radar as a JSON-RPC 2.0 service over standard input and output.

    USAGE: radar-rpc [options]

    Editors, notebooks and scripts spawn radar-rpc and speak JSON-RPC 2.0 on its stdin/stdout,
    with LSP framing (Content-Length headers) or one JSON message per line (NDJSON).
    Standard output carries protocol frames only; logs go to standard error.

    BACKEND
      --demo                     Answer from the embedded synthetic Radar (no token, no network).
      --backend live|demo        live (default) talks to the Cloudflare API.
      --demo-latency MS          Simulated upstream latency of the demo backend (default 0).
      --base-url URL             Cloudflare API base URL (default $CLOUDFLARE_BASE_URL or
                                 https://api.cloudflare.com/client/v4). Plain http:// is refused
                                 unless the host is a loopback address.

    UPSTREAM POLITENESS
      --cache-ttl SECONDS        Result cache lifetime (default 60; 0 disables the cache).
      --max-connections N        Upstream HTTP requests at once (default 6).
      --rate-limit N/SECONDS     Client-side rate limit (default 1200/300, Cloudflare's limit).
      --retries N                Retries for 408, 429, 5xx and network errors (default 3).
      --timeout SECONDS          Per-attempt timeout (default 30).
      --max-subscriptions N      Live subscriptions per server (default 256).

    REQUESTS
      --max-series N             Series one Radar call may ask for (default 32, 1…10000); more is -32602.

    TRANSPORT
      --framing auto|lsp|ndjson  auto (default): the first byte of input decides; output follows input.
      --max-message-bytes N      Larger messages are skipped and answered -32600 (default 16777216).
      --max-in-flight N          Requests handled at once (default 1024); then a queue, then backpressure.
      --max-queued N             Requests waiting for a slot before input is no longer read (default 4096).
      --drain-timeout SECONDS    At end of input, time allowed for requests in flight (default 30).
      --stdio                    Accepted and ignored (editor clients pass it).

    OTHER
      --log-level LEVEL          error, warn (default), info or debug; to standard error.
      --version                  Print the version and exit.
      -h, --help                 Print this help and exit.

    CREDENTIALS (environment only, never flags)
      CLOUDFLARE_API_TOKEN       An API token with Radar read access (sent as Authorization: Bearer).
      CLOUDFLARE_EMAIL, CLOUDFLARE_API_KEY
                                 Or a Global API key. `initialize` may also pass
                                 initializationOptions.apiToken.

    EXAMPLES
      echo '{"jsonrpc":"2.0","id":1,"method":"radar.netflows.timeseriesGroups","params":{"dimension":"PRODUCT","dateRange":"1d"}}' | radar-rpc --demo
      CLOUDFLARE_API_TOKEN=… radar-rpc --stdio

    The protocol (methods, params, errors, streaming): protocol/README.md and protocol/openrpc.json,
    or ask a running server with `rpc.discover`.
    """
}
