#!/usr/bin/env python3
"""fanin.py - radar-rpc's live path against a local fake of the Cloudflare API.

Two measurements, one JSON line on stdout (a table on stderr):

coalescing fan-in   For N in --fanin (default 10, 100, 1000): N identical requests for a key
                    nobody asked before, written in one go (NDJSON) while the fake answers after
                    --latency-ms (200). Reports the upstream calls the fake counted (must be 1)
                    and the wall time from the first byte written to the last answer (must stay
                    near the latency, not grow with N). --reps runs per N; the median is shown.
                    Beside it, the driver floor: the same answer bytes replayed by `cat` into
                    the same reader, what this Python driver alone needs to take them in.

added latency       With the fake's latency set to 0 and radar-rpc started with --cache-ttl 0
                    (every call goes upstream), --calls sequential calls alternate between a
                    direct HTTP GET of the same URL (http.client, keep-alive, Authorization
                    header) and the same request through radar-rpc (one JSON-RPC request over
                    pipes). Both sides read the whole answer and decode its JSON, so the
                    difference is what radar-rpc adds: framing, validation, canonicalisation,
                    the client actor, libcurl, parsing the body, writing the result.
                    Reported: p50/p99 of each and of the difference of the p50s / p99s.

  python3 fanin.py --bin ../.build/release/radar-rpc

Standard library only. The fake is Tests/Support/fake_cloudflare.py of this repository.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FAKE = os.path.join(ROOT, "Tests", "Support", "fake_cloudflare.py")  # TCP_NODELAY on its sockets
TOKEN = "bench-token-not-a-secret"


class Fake:
    """The fake Cloudflare API, on 127.0.0.1; it exits when its stdin closes."""

    def __init__(self, latency_ms: int):
        self.proc = subprocess.Popen([sys.executable, FAKE, "--latency-ms", str(latency_ms), "--token", TOKEN],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise SystemExit(f"fake_cloudflare did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}/client/v4"
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def control(self, method: str, name: str, body=None):
        data = json.dumps(body or {}).encode() if method == "POST" else None
        self.conn.request(method, "/__control/" + name, body=data, headers={"Content-Type": "application/json"})
        return json.loads(self.conn.getresponse().read())

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


class Server:
    """radar-rpc with NDJSON framing; a reader thread collects answers by id."""

    def __init__(self, binary: str, base_url: str, extra: list[str], argv: list[str] | None = None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
        env["CLOUDFLARE_API_TOKEN"] = TOKEN
        argv = argv or [binary, "--framing", "ndjson", "--base-url", base_url, *extra]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, bufsize=0)
        self.cond = threading.Condition()
        self.answers: dict[int, list] = {}
        self.bad: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        # The answers' ids are read with a regular expression (radar-rpc writes
        # {"jsonrpc":"2.0","id":N,"result"|"error":...}); full JSON decoding of 1000 answers of
        # 9 KB would cost the driver ~50 ms and show up as server time. Anything else is decoded.
        buf = b""
        while True:
            data = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not data:
                break
            buf += data
            *lines, buf = buf.split(b"\n")
            t = time.perf_counter()
            with self.cond:
                for line in lines:
                    m = ANSWER.match(line)
                    if m:
                        self.answers.setdefault(int(m.group(1)), []).append((t, Answer(line, m)))
                        continue
                    try:
                        msg = json.loads(line)
                    except ValueError:
                        self.bad.append(line)
                        continue
                    if "id" in msg and "method" not in msg:
                        self.answers.setdefault(msg["id"], []).append((t, Answer(line, None)))
                self.cond.notify_all()

    def send(self, data: bytes):
        self.proc.stdin.write(data)

    def wait(self, ids, timeout=60.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not all(i in self.answers for i in ids):
                left = deadline - time.monotonic()
                if left <= 0:
                    missing = [i for i in ids if i not in self.answers]
                    raise SystemExit(f"no answer for {len(missing)} request(s), e.g. id {missing[0]}")
                self.cond.wait(left)
            return {i: self.answers[i] for i in ids}

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


ANSWER = re.compile(rb'\{"jsonrpc":"2\.0","id":(\d+),"(result|error)":')


class Answer:
    """One answer line; `kind` is "result" or "error", `payload` the bytes after the id."""

    def __init__(self, line: bytes, m):
        self.line = line
        if m is not None:
            self.kind = m.group(2).decode()
            self.payload = line[m.end():]
        else:
            msg = json.loads(line)
            self.kind = "error" if "error" in msg else "result"
            self.payload = json.dumps(msg.get(self.kind), sort_keys=True).encode()

    def json(self) -> dict:
        return json.loads(self.line)


def request(i: int, params: dict) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": i, "method": "radar.netflows.timeseriesGroups", "params": params},
                      separators=(",", ":")).encode() + b"\n"


class DirectClient:
    """A minimal keep-alive HTTP/1.1 GET client on a raw socket.

    TCP_QUICKACK is set before every read: the fake (Python's http.server) writes the headers
    and the body in two writes, and with Nagle on its side and a delayed ACK on ours every
    call would otherwise wait ~40 ms for the ACK (http.client shows exactly that). curl, which
    radar-rpc uses, does not hit it, so without this the baseline would be unfair
    to the direct call.
    """

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _recv(self):
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        data = self.sock.recv(1 << 20)
        if not data:
            raise SystemExit("the fake closed the connection")
        self.buf += data

    def get(self, path: str, headers: dict) -> bytes:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode())
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        header, _, self.buf = self.buf.partition(b"\r\n\r\n")
        status = header.split(b" ", 2)[1]
        length = next(int(line.split(b":", 1)[1]) for line in header.split(b"\r\n")[1:]
                      if line.lower().startswith(b"content-length:"))
        while len(self.buf) < length:
            self._recv()
        body, self.buf = self.buf[:length], self.buf[length:]
        if status != b"200":
            raise SystemExit(f"direct call answered HTTP {status.decode()}: {body[:200]!r}")
        return body


def pct(vals, q):
    vals = sorted(vals)
    return vals[max(0, min(len(vals) - 1, int(-(-q * len(vals) // 100)) - 1))]


def fanin(binary: str, sizes: list[int], reps: int, latency_ms: int) -> list[dict]:
    fake = Fake(latency_ms)
    rows = []
    try:
        server = Server(binary, fake.base, ["--cache-ttl", "0"])
        next_id = 1
        # one warm-up call so libcurl's connection and the client's first-use costs are paid
        server.send(request(next_id, {"dimension": "AS", "dateRange": "1d", "name": "warmup"}))
        server.wait([next_id])
        next_id += 1
        for n in sizes:
            runs = []
            for rep in range(reps):
                params = {"dimension": "LOCATION", "dateRange": "7d", "name": f"fanin-{n}-{rep}"}
                before = fake.control("GET", "counters")["total"]
                ids = list(range(next_id, next_id + n))
                next_id += n
                payload = b"".join(request(i, params) for i in ids)
                t0 = time.perf_counter()
                server.send(payload)
                got = server.wait(ids)
                t_last = max(v[0][0] for v in got.values())
                t_first = min(v[0][0] for v in got.values())
                after = fake.control("GET", "counters")["total"]
                errors = [v[0][1].json()["error"] for v in got.values() if v[0][1].kind == "error"]
                dup = sum(1 for v in got.values() if len(v) != 1)
                bodies = {v[0][1].payload for v in got.values()}
                json.loads(next(iter(got.values()))[0][1].line)  # one answer fully decoded: valid JSON
                floor_ms = driver_floor_ms([v[0][1].line for v in got.values()])
                runs.append({"wall_ms": (t_last - t0) * 1000, "first_answer_ms": (t_first - t0) * 1000,
                             "driver_floor_ms": floor_ms,
                             "upstream": after - before, "errors": len(errors),
                             "duplicates": dup, "distinct_results": len(bodies),
                             "first_error": errors[0] if errors else None})
            rows.append({"n": n, "reps": reps, "latency_ms": latency_ms,
                         "upstream_calls": max(r["upstream"] for r in runs),
                         "wall_ms_median": statistics.median(r["wall_ms"] for r in runs),
                         "wall_ms_max": max(r["wall_ms"] for r in runs),
                         "first_answer_ms_median": statistics.median(r["first_answer_ms"] for r in runs),
                         "driver_floor_ms_median": statistics.median(r["driver_floor_ms"] for r in runs),
                         "errors": sum(r["errors"] for r in runs), "duplicates": sum(r["duplicates"] for r in runs),
                         "ok": all(r["upstream"] == 1 and not r["errors"] and not r["duplicates"]
                                   and r["distinct_results"] == 1 for r in runs),
                         "runs": runs})
        server.close()
    finally:
        fake.close()
    return rows


def driver_floor_ms(lines: list[bytes]) -> float:
    """How long this driver's reader takes to take in the same answer bytes from a pipe when
    nothing else is involved: `cat` of a file holding them, read by the Server reader (starting
    `cat` included, 2–4 ms). The fan-in's spread past the upstream latency can never be below it:
    1,000 answers of 14 KB are 14 MB through a pipe into Python, tens of milliseconds."""
    with tempfile.NamedTemporaryFile(suffix=".ndjson") as f:
        f.write(b"\n".join(lines) + b"\n")
        f.flush()
        ids = [int(ANSWER.match(line).group(1)) for line in lines]
        t0 = time.perf_counter()
        reader = Server("", "", [], argv=["cat", f.name])
        reader.wait(ids)
        t1 = time.perf_counter()
        reader.close()
    return (t1 - t0) * 1000


def added_latency(binary: str, calls: int, warmup: int) -> dict:
    fake = Fake(0)
    try:
        server = Server(binary, fake.base, ["--cache-ttl", "0", "--rate-limit", "1000000/1"])
        params = {"dimension": "LOCATION", "dateRange": "1d", "location": "US"}
        server.send(request(1, params))
        server.wait([1])
        last = fake.control("GET", "requests")["requests"][-1]
        path = "/client/v4" + last["path"] + ("?" + last["query"] if last["query"] else "")
        direct = DirectClient(fake.port)
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
        before = fake.control("GET", "counters")["total"]
        d_lat, r_lat = [], []
        next_id = 2
        for i in range(warmup + calls):
            # direct HTTP call: request, whole body, JSON decode
            t0 = time.perf_counter()
            body = direct.get(path, headers)
            json.loads(body)
            t1 = time.perf_counter()
            # the same through radar-rpc
            server.send(request(next_id, params))
            t2 = time.perf_counter()
            (t3, answer), = server.wait([next_id])[next_id]
            msg = answer.json()  # decoded, like the direct call's body
            if "result" not in msg:
                raise SystemExit(f"radar-rpc answered an error: {msg}")
            next_id += 1
            if i >= warmup:
                d_lat.append((t1 - t0) * 1e6)
                r_lat.append((t3 - t2) * 1e6)
        upstream = fake.control("GET", "counters")["total"] - before
        server.send(b'{"jsonrpc":"2.0","id":0,"method":"server.stats"}\n')
        stats = server.wait([0])[0][0][1].json()["result"]
        server.close()
    finally:
        fake.close()
    return {
        "calls": calls, "warmup": warmup, "answer_bytes": len(body),
        "upstream_calls": upstream, "expected_upstream_calls": 2 * (warmup + calls),
        "direct_p50_us": pct(d_lat, 50), "direct_p99_us": pct(d_lat, 99),
        "rpc_p50_us": pct(r_lat, 50), "rpc_p99_us": pct(r_lat, 99),
        "added_p50_us": pct(r_lat, 50) - pct(d_lat, 50), "added_p99_us": pct(r_lat, 99) - pct(d_lat, 99),
        "server_upstream_latency_ms": stats["upstream"]["latencyMs"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the radar-rpc binary")
    ap.add_argument("--fanin", default="10,100,1000")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    args = ap.parse_args()
    sizes = [int(x) for x in args.fanin.split(",") if x]
    out = {"fanin": fanin(os.path.abspath(args.bin), sizes, args.reps, args.latency_ms) if sizes else [],
           "added_latency": added_latency(os.path.abspath(args.bin), args.calls, args.warmup) if args.calls else None}
    for r in out["fanin"]:
        sys.stderr.write(f"fan-in N={r['n']:5d}: upstream calls {r['upstream_calls']}, wall "
                         f"{r['wall_ms_median']:.1f} ms (max {r['wall_ms_max']:.1f}, first answer "
                         f"{r['first_answer_ms_median']:.1f}; the driver alone reads the same answers in "
                         f"{r['driver_floor_ms_median']:.1f}), errors {r['errors']}, "
                         f"{'ok' if r['ok'] else 'FAILED'}\n")
    a = out["added_latency"]
    if a:
        sys.stderr.write(f"added latency: direct p50/p99 {a['direct_p50_us']:.0f}/{a['direct_p99_us']:.0f} us, "
                         f"radar-rpc {a['rpc_p50_us']:.0f}/{a['rpc_p99_us']:.0f} us, added "
                         f"{a['added_p50_us']:.0f}/{a['added_p99_us']:.0f} us; upstream calls "
                         f"{a['upstream_calls']} of {a['expected_upstream_calls']}; radar-rpc's own upstream "
                         f"latency p50/p99 {a['server_upstream_latency_ms']}\n")
    ok = all(r["ok"] for r in out["fanin"]) and (not a or a["upstream_calls"] == a["expected_upstream_calls"])
    out["ok"] = ok
    print(json.dumps(out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
