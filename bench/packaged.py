#!/usr/bin/env python3
"""packaged.py - radar-rpc binaries side by side: the build a developer gets (`swift build -c
release`) and the packaged one (scripts/package: static Swift stdlib, stripped), or any others.

For each binary, in one run, interleaved so that machine noise hits all alike:

start-up      spawn, write `initialize`, read its answer: wall time (median, p90 of --startup-runs).
              The live backend (the default) with no credentials: what an editor starts.
demo RSS      peak RSS (VmHWM) of `--demo` answering protocol/examples/session.ndjson, the
              README's session, read once every answer is in.
live RSS      peak RSS of a live session against the local fake Cloudflare: initialize, --live-calls
              distinct Radar calls (each goes upstream), end of input. Every answer must be a result.
added latency fanin.py's measurement: a direct HTTP GET of the same URL against the same request
              through radar-rpc, alternating, --calls times; the difference of the p50s (and p99s).

  python3 packaged.py --bin "swift build=../.build/release/radar-rpc" --bin "packaged=/tmp/radar-rpc"

Prints a markdown table on stdout and, with --json-out, one JSON line per binary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import fanin

HERE = os.path.dirname(os.path.abspath(__file__))
SESSION = os.path.join(fanin.ROOT, "protocol", "examples", "session.ndjson")
INITIALIZE = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n'


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}


def startup_ms(binary: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=clean_env())
    proc.stdin.write(INITIALIZE)
    proc.stdin.flush()
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - start) * 1000
    proc.stdin.close()
    proc.wait(timeout=10)
    if b'"serverInfo"' not in line:
        raise SystemExit(f"{binary}: no initialize answer: {line[:200]!r}")
    return elapsed


def peak_rss_mb(argv: list, lines: list, env: dict, answers: int) -> float:
    """Sends lines (requests, no `exit`), reads until `answers` answers came, all results, and
    returns the peak RSS in MB: VmHWM of /proc/PID/status, read while the server still runs.
    (ru_maxrss from wait4 would not do: it keeps the forking Python's RSS from before exec.)"""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    proc.stdin.write(b"".join(lines))
    proc.stdin.flush()
    got = []
    while len(got) < answers:
        line = proc.stdout.readline()
        if not line:
            break
        if b'"id":' in line:
            got.append(line)
    with open(f"/proc/{proc.pid}/status") as f:
        peak_kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    proc.stdin.close()
    proc.wait(timeout=30)
    results = sum(1 for line in got if b'"result":' in line)
    if results < answers:
        raise SystemExit(f"{argv[0]}: {results} results of {answers}: {b''.join(got)[:300]!r}")
    return peak_kb / 1024


def demo_rss(binary: str) -> float:
    with open(SESSION, "rb") as f:
        session = [line + b"\n" for line in f.read().splitlines() if line.strip() and b'"exit"' not in line]
    requests = sum(1 for line in session if b'"id":' in line)
    return peak_rss_mb([binary, "--demo"], session, clean_env(), answers=requests)


def live_rss(binary: str, fake: fanin.Fake, calls: int) -> float:
    lines = [INITIALIZE]
    for i in range(calls):
        params = {"dimension": "LOCATION", "dateRange": "7d", "limitPerGroup": 2 + i % 10, "location": ["US", "PT"][i % 2],
                  "name": f"call{i}"}
        lines.append(fanin.request(100 + i, params))
    env = clean_env()
    env["CLOUDFLARE_API_TOKEN"] = fanin.TOKEN
    return peak_rss_mb([binary, "--framing", "ndjson", "--base-url", fake.base], lines, env, answers=calls + 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", action="append", required=True, help="LABEL=PATH of a radar-rpc binary (repeat)")
    ap.add_argument("--startup-runs", type=int, default=30)
    ap.add_argument("--rss-runs", type=int, default=3)
    ap.add_argument("--live-calls", type=int, default=50)
    ap.add_argument("--calls", type=int, default=2000, help="added-latency calls (fanin.py)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--json-out", default=None)
    args = ap.parse_args()
    binaries = []
    for spec in args.bin:
        label, _, path = spec.partition("=")
        binaries.append((label, os.path.abspath(path)))

    startup = {label: [] for label, _ in binaries}
    demo = {label: [] for label, _ in binaries}
    live = {label: [] for label, _ in binaries}
    for _ in range(args.startup_runs):
        for label, path in binaries:
            startup[label].append(startup_ms(path))
    fake = fanin.Fake(0)
    try:
        for _ in range(args.rss_runs):
            for label, path in binaries:
                demo[label].append(demo_rss(path))
                live[label].append(live_rss(path, fake, args.live_calls))
    finally:
        fake.close()
    added = {label: fanin.added_latency(path, args.calls, args.warmup) for label, path in binaries}

    rows = []
    for label, path in binaries:
        a = added[label]
        s = sorted(startup[label])
        rows.append({
            "label": label, "binary": path, "bytes": os.path.getsize(path),
            "startup_ms_median": statistics.median(s), "startup_ms_p90": s[int(0.9 * (len(s) - 1))],
            "demo_peak_rss_mb": statistics.median(demo[label]), "live_peak_rss_mb": statistics.median(live[label]),
            "added_p50_us": a["added_p50_us"], "added_p99_us": a["added_p99_us"],
            "direct_p50_us": a["direct_p50_us"], "rpc_p50_us": a["rpc_p50_us"],
            "upstream_ok": a["upstream_calls"] == a["expected_upstream_calls"],
        })
    print("| binary | size | start-up to `initialize` (median, p90) | demo peak RSS | live peak RSS "
          "| added latency p50 / p99 (direct GET p50) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['label']} | {r['bytes'] / 1e6:.1f} MB | {r['startup_ms_median']:.2f} ms, {r['startup_ms_p90']:.2f} ms "
              f"| {r['demo_peak_rss_mb']:.1f} MB | {r['live_peak_rss_mb']:.1f} MB "
              f"| {r['added_p50_us'] / 1000:.3f} / {r['added_p99_us'] / 1000:.3f} ms ({r['direct_p50_us'] / 1000:.3f} ms) |")
    print(f"\n{args.startup_runs} start-ups and {args.rss_runs} demo/live sessions per binary (median), interleaved; "
          f"live: {args.live_calls} calls; added latency: {args.calls} alternating calls after {args.warmup} warm-up.")
    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    return 0 if all(r["upstream_ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
