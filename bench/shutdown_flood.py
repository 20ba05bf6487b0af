#!/usr/bin/env python3
"""shutdown_flood.py - peak memory while a client floods requests and does not read its answers.

Contract §7: what the server buffers for a client is bounded in bytes whatever kind of message
fills it. This writes --n NDJSON requests of one --method (default `shutdown`: the first is
answered null, every later one -32600) to a fresh `radar-rpc --demo` as fast as it can,
WITHOUT reading standard output, until the server stops taking input (backpressure) or all is
written; only then does it read the answers, send `exit` and close the input. It reports the
server's peak RSS (wait4's ru_maxrss), how many answers came back, and whether writing stalled
before the end (it should: the server stops reading once its output bound is full).

  python3 bench/shutdown_flood.py --bin .build/release/radar-rpc [--n 1000000] [--method shutdown]

One JSON line on stdout; a summary on stderr. Exit 1 when an answer is missing or the peak RSS
is over --limit-mb (default 100).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--method", default="shutdown")
    parser.add_argument("--stall", type=float, default=2.0, help="seconds without write progress = stalled")
    parser.add_argument("--limit-mb", type=float, default=100)
    args = parser.parse_args()

    proc = subprocess.Popen([args.bin, "--demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    written = [0]
    done = threading.Event()

    def write() -> None:
        fd = proc.stdin.fileno()
        batch = 2000
        for first in range(0, args.n, batch):
            lines = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"%s"}\n' % (i, args.method.encode())
                             for i in range(first, min(first + batch, args.n)))
            view = memoryview(lines)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            written[0] = min(first + batch, args.n)
        done.set()

    start = time.monotonic()
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    last, last_change, stalled_at = -1, time.monotonic(), None
    while not done.is_set():
        time.sleep(0.05)
        if written[0] != last:
            last, last_change = written[0], time.monotonic()
        elif time.monotonic() - last_change > args.stall:
            stalled_at = written[0]
            break

    answers = [0]

    def read() -> None:
        for line in proc.stdout:
            if line.startswith(b'{"jsonrpc":"2.0","id":'):
                answers[0] += 1

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    writer.join()
    os.write(proc.stdin.fileno(), b'{"jsonrpc":"2.0","method":"exit"}\n')
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    reader.join()
    elapsed = time.monotonic() - start
    peak_mb = usage.ru_maxrss / 1024
    result = {
        "method": args.method,
        "n": args.n,
        "answers": answers[0],
        "peakRSSMB": round(peak_mb, 1),
        "stalledAfter": stalled_at,
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": round(elapsed, 2),
    }
    print(f"{args.n} x {args.method}: peak RSS {peak_mb:.1f} MB, {answers[0]} answers, "
          f"writing stalled after {stalled_at} (backpressure), exit {result['exit']}, {elapsed:.1f} s",
          file=sys.stderr)
    print(json.dumps(result))
    return 0 if answers[0] == args.n and peak_mb < args.limit_mb else 1


if __name__ == "__main__":
    sys.exit(main())
