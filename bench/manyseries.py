#!/usr/bin/env python3
"""A request for 10,000 series against radar-rpc: refused fast, and without growing memory.

Usage: python3 bench/manyseries.py [--binary .build/release/radar-rpc] [--requests 200]

Starts `radar-rpc --demo --framing ndjson`, warms it up with ordinary calls, reads its peak RSS
(VmHWM), then sends `--requests` requests of 10,000 series each (`name` with 10,000 elements, about
110 KB) one at a time, and reads VmHWM again. Each answer must be -32602 (at most --max-series
series). Prints the round-trip time of each kind of request (median and p99, measured from the
write of the request to the read of its answer, so it bounds the server's own time from above)
next to a small invalid request of the same method, and the peak RSS before and after.
"""
import argparse
import json
import os
import statistics
import subprocess
import time


def vmhwm(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/radar-rpc")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--series", type=int, default=10_000)
    args = parser.parse_args()

    server = subprocess.Popen([args.binary, "--demo", "--framing", "ndjson"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, bufsize=0)
    ids = iter(range(1, 10**9))

    def call(method, params):
        line = json.dumps({"jsonrpc": "2.0", "id": next(ids), "method": method, "params": params}).encode() + b"\n"
        start = time.perf_counter()
        server.stdin.write(line)
        answer = server.stdout.readline()
        return time.perf_counter() - start, json.loads(answer), len(line)

    huge = {"dimension": "CA", "dateRange": "1d", "name": [f"s{i}" for i in range(args.series)]}
    small = {"dimension": "CA", "dateRange": "1d", "name": ["meta"]}
    ordinary = {"dimension": "CA", "dateRange": "1d", "name": ["a", "b"]}
    for _ in range(200):  # warm-up: ordinary answers, ordinary refusals
        call("radar.ct.timeseriesGroups", ordinary)
        call("radar.ct.timeseriesGroups", small)
    before = vmhwm(server.pid)
    huge_times, small_times = [], []
    size = 0
    for _ in range(args.requests):
        elapsed, answer, size = call("radar.ct.timeseriesGroups", huge)
        assert answer.get("error", {}).get("code") == -32602, answer
        huge_times.append(elapsed)
        elapsed, answer, _ = call("radar.ct.timeseriesGroups", small)
        assert answer.get("error", {}).get("code") == -32602, answer
        small_times.append(elapsed)
    after = vmhwm(server.pid)
    server.stdin.close()
    server.wait()

    def ms(values, q):
        return 1000 * (statistics.median(values) if q == 50 else sorted(values)[int(len(values) * q / 100) - 1])

    print(f"{args.requests} requests of {args.series:,} series ({size / 1024:.0f} KiB each), "
          f"answered {answer['error']['message'][:60]!r}…")
    print(f"round trip, {args.series:,} series: median {ms(huge_times, 50):.3f} ms, p99 {ms(huge_times, 99):.3f} ms")
    print(f"round trip, 1 series (name \"meta\", also -32602): median {ms(small_times, 50):.3f} ms, "
          f"p99 {ms(small_times, 99):.3f} ms")
    print(f"peak RSS (VmHWM): {before:.1f} MB after warm-up, {after:.1f} MB after the {args.requests} requests")


if __name__ == "__main__":
    main()
