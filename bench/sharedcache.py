#!/usr/bin/env python3
"""sharedcache.py - what a hit in the shared cache on disk costs next to a hit in memory (issue 19).

Against Tests/Support/fake_cloudflare.py (latency 0), per repetition, in one fresh cache directory:

  A  radar-rpc --cache-dir D               asks --n distinct requests: each goes upstream and is
                                           stored on disk
  B  radar-rpc --cache-dir D               asks each of them twice: the first answer is a disk hit
                                           (A's result; nothing in B's memory yet), the second a
                                           memory hit
  C  radar-rpc --no-shared-cache           asks each of them three times: once upstream (not
                                           timed), then two memory hits, as before issue 19

Every call is one JSON-RPC request over pipes (NDJSON), timed from the write to the answer's
last byte; B's and C's calls alternate, so both see the same machine. Reported: p50 and p90 of

  disk hit            B's first pass
  memory hit, shared  B's second pass (the shared cache on)
  memory hit, alone   C's timed passes (--no-shared-cache)

and, from the p50s, the cost of a disk hit over a memory hit (disk - memory, shared) and the
memory hit with the shared cache on over the one without (should be ~1.0).

A last pair, D (shared rate budget, --cache-ttl 0) and E (--no-shared-cache --cache-ttl 0),
alternates --n calls that all go upstream: what the shared rate budget (a file lock, a read and
an atomic replace per attempt) adds to an upstream call. The counters are
checked against server.stats (B: diskHits = memoryHits = n; C: memoryHits = 2n) and the fake's
request count (2n per repetition: A's and C's), so every timed call was the hit it claims to be.

With --fill N (0: skipped), F (shared cache) and G (--no-shared-cache), both with the rate limit
out of the way, alternate N distinct calls that all miss: what storing a result costs as the
directory fills (p50 per fifth of the run, by the number of entries already on disk).

  python3 bench/sharedcache.py --bin .build/release/radar-rpc [--fill 5000]

Standard library only. One JSON line with every figure on stdout, a table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FAKE = os.path.join(ROOT, "Tests", "Support", "fake_cloudflare.py")
TOKEN = "bench-token-not-a-secret"
METHOD = "radar.ct.timeseriesGroups"


class Fake:
    """The fake Cloudflare API on 127.0.0.1; it exits when its stdin closes."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, FAKE, "--port", "0", "--token", TOKEN],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise SystemExit(f"fake_cloudflare did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}/client/v4"

    def total(self) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__control/counters", timeout=10) as r:
            return json.loads(r.read())["total"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class Server:
    """radar-rpc (live, NDJSON) answering one request at a time."""

    def __init__(self, binary: str, base: str, extra: list[str], cache_home: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
        env["CLOUDFLARE_API_TOKEN"] = TOKEN
        env["XDG_CACHE_HOME"] = cache_home  # never the user's ~/.cache
        self.proc = subprocess.Popen([binary, "--framing", "ndjson", "--base-url", base, *extra],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env)
        self.next_id = 0

    def call(self, method: str, params) -> tuple[float, dict]:
        """Seconds from the write to the answer, and the answer."""
        self.next_id += 1
        line = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params},
                          separators=(",", ":")).encode() + b"\n"
        start = time.perf_counter()
        self.proc.stdin.write(line)
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        elapsed = time.perf_counter() - start
        message = json.loads(answer)
        if message.get("id") != self.next_id or "result" not in message:
            raise SystemExit(f"unexpected answer: {answer[:300]!r}")
        return elapsed, message

    def stats(self) -> dict:
        return self.call("server.stats", {})[1]["result"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def params(i: int) -> dict:
    return {"dimension": "CA", "dateRange": "7d", "name": f"bench{i}"}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "radar-rpc"))
    parser.add_argument("--n", type=int, default=400, help="distinct requests per repetition")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--fill", type=int, default=0, help="distinct misses for the store-cost run (0: none)")
    args = parser.parse_args()

    fake = Fake()
    disk, shared, alone = [], [], []
    answer_bytes, entry_bytes = 0, 0
    expected_upstream = 0
    with tempfile.TemporaryDirectory(prefix="radar-rpc-bench-cache-") as home:
        for rep in range(args.reps):
            directory = os.path.join(home, f"rep{rep}")
            offset = rep * args.n  # new requests each repetition
            a = Server(args.bin, fake.base, ["--cache-dir", directory], home)
            for i in range(args.n):
                _, message = a.call(METHOD, params(offset + i))
            answer_bytes = len(json.dumps(message["result"], separators=(",", ":")))
            a.close()
            results = os.path.join(directory, "results")
            entry_bytes = sum(os.path.getsize(os.path.join(results, f)) for f in os.listdir(results)) // args.n
            b = Server(args.bin, fake.base, ["--cache-dir", directory], home)
            c = Server(args.bin, fake.base, ["--no-shared-cache"], home)
            for i in range(args.n):
                c.call(METHOD, params(offset + i))
            for i in range(args.n):
                disk.append(b.call(METHOD, params(offset + i))[0])
                alone.append(c.call(METHOD, params(offset + i))[0])
            for i in range(args.n):
                shared.append(b.call(METHOD, params(offset + i))[0])
                alone.append(c.call(METHOD, params(offset + i))[0])
            sb, sc = b.stats(), c.stats()
            expected_upstream += 2 * args.n
            if (sb["diskHits"], sb["memoryHits"], sc["memoryHits"]) != (args.n, args.n, 2 * args.n):
                raise SystemExit(f"not the hits timed: B {sb}, C {sc}")
            if fake.total() != expected_upstream:
                raise SystemExit(f"upstream calls {fake.total()}, expected {expected_upstream}")
            b.close()
            c.close()
        d = Server(args.bin, fake.base, ["--cache-dir", os.path.join(home, "budget"), "--cache-ttl", "0"], home)
        e = Server(args.bin, fake.base, ["--no-shared-cache", "--cache-ttl", "0"], home)
        budget, alone_upstream = [], []
        for i in range(args.n * args.reps):
            budget.append(d.call(METHOD, params(0))[0])
            alone_upstream.append(e.call(METHOD, params(0))[0])
        sd, se = d.stats(), e.stats()
        if (sd["upstream"]["requests"], se["upstream"]["requests"]) != (args.n * args.reps,) * 2:
            raise SystemExit(f"not every call went upstream: D {sd['upstream']}, E {se['upstream']}")
        if not sd["sharedCache"]["rateBudget"] or se["sharedCache"]["rateBudget"]:
            raise SystemExit("D should share its rate budget, E not")
        d.close()
        e.close()
        fill = []
        if args.fill:
            unlimited = ["--rate-limit", "1000000/1"]
            f = Server(args.bin, fake.base, ["--cache-dir", os.path.join(home, "fill")] + unlimited, home)
            g = Server(args.bin, fake.base, ["--no-shared-cache"] + unlimited, home)
            shared_miss, alone_miss = [], []
            for i in range(args.fill):
                shared_miss.append(f.call(METHOD, params(10_000_000 + i))[0])
                alone_miss.append(g.call(METHOD, params(10_000_000 + i))[0])
            fifth = max(1, args.fill // 5)
            for lo in range(0, args.fill, fifth):
                fill.append({"entriesFrom": lo, "entriesTo": min(args.fill, lo + fifth),
                             "sharedP50us": round(statistics.median(shared_miss[lo:lo + fifth]) * 1e6, 1),
                             "aloneP50us": round(statistics.median(alone_miss[lo:lo + fifth]) * 1e6, 1)})
            f.close()
            g.close()
    fake.close()

    us = lambda seconds: round(seconds * 1e6, 1)  # noqa: E731
    row = {
        "n": args.n, "reps": args.reps, "answerBytes": answer_bytes, "entryBytes": entry_bytes,
        "diskHitP50us": us(statistics.median(disk)), "diskHitP90us": us(percentile(disk, 90)),
        "memoryHitSharedP50us": us(statistics.median(shared)), "memoryHitSharedP90us": us(percentile(shared, 90)),
        "memoryHitAloneP50us": us(statistics.median(alone)), "memoryHitAloneP90us": us(percentile(alone, 90)),
    }
    row["upstreamSharedBudgetP50us"] = us(statistics.median(budget))
    row["upstreamAloneP50us"] = us(statistics.median(alone_upstream))
    row["sharedBudgetCostP50us"] = round(row["upstreamSharedBudgetP50us"] - row["upstreamAloneP50us"], 1)
    row["diskHitCostP50us"] = round(row["diskHitP50us"] - row["memoryHitSharedP50us"], 1)
    row["memorySharedOverAlone"] = round(statistics.median(shared) / statistics.median(alone), 3)
    row["fill"] = fill
    print(json.dumps(row))
    print(f"""
| {args.reps} x {args.n} calls, {answer_bytes}-byte answers ({entry_bytes}-byte entries) | p50 us | p90 us |
|---|---:|---:|
| disk hit (another process's result, shared cache) | {row['diskHitP50us']} | {row['diskHitP90us']} |
| memory hit, shared cache on | {row['memoryHitSharedP50us']} | {row['memoryHitSharedP90us']} |
| memory hit, --no-shared-cache | {row['memoryHitAloneP50us']} | {row['memoryHitAloneP90us']} |

| upstream call (fake, latency 0), shared rate budget | {row['upstreamSharedBudgetP50us']} | |
| upstream call, --no-shared-cache | {row['upstreamAloneP50us']} | |

disk hit over memory hit (p50): {row['diskHitCostP50us']} us; memory hit shared on / off (p50): \
{row['memorySharedOverAlone']}; the shared rate budget per upstream call (p50): \
{row['sharedBudgetCostP50us']} us""", file=sys.stderr)
    if fill:
        print("\n| misses, entries already on disk | shared cache p50 us | --no-shared-cache p50 us |\n|---|---:|---:|",
              file=sys.stderr)
        for f in fill:
            print(f"| {f['entriesFrom']}–{f['entriesTo']} | {f['sharedP50us']} | {f['aloneP50us']} |", file=sys.stderr)


if __name__ == "__main__":
    main()
