#!/usr/bin/env python3
"""The clients' speed, measured here rather than asserted in their unit tests (issue 12).

    RADAR_RPC_BIN=.build/release/radar-rpc python3 bench/clients.py

Prints, for the Python (sync and asyncio) and Node clients, the time of CALLS calls in flight at
once against ``--demo-latency LATENCY_MS`` next to the same number one after another (the
speed-up is the ratio; ideal: CALLS), and for the Node frame decoder the time to decode a 4 MiB
and a 16 MiB frame in 64 KiB chunks (linear in the size: a ratio near 4). Every figure is the
median of REPS runs in this one run. Environment: CALLS (100), LATENCY_MS (200), REPS (3).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "clients" / "python" / "src"))

import radar_rpc  # noqa: E402

CALLS = int(os.environ.get("CALLS", "100"))
LATENCY_MS = int(os.environ.get("LATENCY_MS", "200"))
REPS = int(os.environ.get("REPS", "3"))
ARGS = ["--demo-latency", str(LATENCY_MS), "--max-connections", "256", "--cache-ttl", "0"]

NODE = r"""
import { RadarClient } from './clients/node/src/index.js';
import { FrameDecoder, encodeFrame } from './clients/node/src/framing.js';
const [calls, latency, reps] = process.argv.slice(1).map(Number); // node -e: the arguments start at argv[1]
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = async (work) => { const t = process.hrtime.bigint(); await work(); return Number(process.hrtime.bigint() - t) / 1e9; };
const client = new RadarClient({ demo: true, args: ['--demo-latency', String(latency), '--max-connections', '256', '--cache-ttl', '0'] });
const call = (i) => client.radar.netflows.timeseriesGroups({ dimension: 'AS', dateRange: '1d', name: `n${i}` });
const concurrent = [], sequential = [];
for (let r = 0; r < reps; r++) {
  concurrent.push(await seconds(() => Promise.all(Array.from({ length: calls }, (_, i) => call(i)))));
  sequential.push(await seconds(async () => { for (let i = 0; i < 5; i++) await call(i); }) / 5 * calls);
}
await client.dispose();
const decode = (mib) => {
  const frame = encodeFrame({ s: 'é'.repeat(mib * 512 * 1024) });
  const times = [];
  for (let r = 0; r < reps; r++) {
    const decoder = new FrameDecoder();
    const t = process.hrtime.bigint();
    for (let i = 0; i < frame.length; i += 65536) decoder.push(frame.subarray(i, i + 65536));
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return median(times);
};
console.log(JSON.stringify({ concurrent: median(concurrent), sequential: median(sequential), decode4: decode(4), decode16: decode(16) }));
"""


def median_seconds(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def python_sync(binary: str) -> Dict[str, float]:
    with radar_rpc.RadarClient(binary, demo=True, args=ARGS) as client:

        def call(i: int) -> object:
            return client.netflows_timeseries_groups("AS", date_range="1d", name="p%d" % i)

        def concurrent() -> None:
            with ThreadPoolExecutor(CALLS) as pool:
                list(pool.map(call, range(CALLS)))

        def sequential() -> None:
            for i in range(5):
                call(i)

        return {"concurrent": median_seconds(concurrent), "sequential": median_seconds(sequential) / 5 * CALLS}


def python_async(binary: str) -> Dict[str, float]:
    async def main() -> Dict[str, float]:
        async with radar_rpc.AsyncRadarClient(binary, demo=True, args=ARGS) as client:
            concurrent: List[float] = []
            sequential: List[float] = []
            for _ in range(REPS):
                started = time.perf_counter()
                await asyncio.gather(
                    *(client.netflows_timeseries_groups("AS", date_range="1d", name="a%d" % i) for i in range(CALLS))
                )
                concurrent.append(time.perf_counter() - started)
                started = time.perf_counter()
                for i in range(5):
                    await client.netflows_timeseries_groups("AS", date_range="1d", name="a%d" % i)
                sequential.append((time.perf_counter() - started) / 5 * CALLS)
            return {"concurrent": statistics.median(concurrent), "sequential": statistics.median(sequential)}

    return asyncio.run(main())


def node(binary: str) -> Dict[str, float]:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE, str(CALLS), str(LATENCY_MS), str(REPS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, RADAR_RPC_BIN=binary),
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    binary = radar_rpc.find_binary()
    print("# clients: %d calls at --demo-latency %d ms, median of %d (binary %s)\n" % (CALLS, LATENCY_MS, REPS, binary))
    print("| client | %d in flight (s) | one after another (s) | speed-up |" % CALLS)
    print("|---|---:|---:|---:|")
    rows = [("Python sync (threads)", python_sync(binary)), ("Python asyncio", python_async(binary))]
    node_figures = node(binary)
    rows.append(("Node", node_figures))
    for name, figures in rows:
        ratio = figures["sequential"] / figures["concurrent"]
        print("| %s | %.2f | %.1f | %.0f× |" % (name, figures["concurrent"], figures["sequential"], ratio))
    four, sixteen = node_figures["decode4"], node_figures["decode16"]
    print(
        "\nNode FrameDecoder, 64 KiB chunks: 4 MiB %.1f ms, 16 MiB %.1f ms (ratio %.1f; linear: 4)"
        % (four * 1e3, sixteen * 1e3, sixteen / four)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
