#!/usr/bin/env python3
"""framing_trickle.py - what one large message costs the server when it arrives slowly.

Contract §2: scanning for the end of a line or header is linear in the bytes received, however
slowly they arrive. This sends one message of --mib MiB (a `server.stats` request with a long
padding string in its params; the server reads it whole and answers -32602) to a fresh
`radar-rpc --demo`, four ways:

  ndjson-at-once    one NDJSON line, written in 1 MiB pieces
  ndjson-trickled   the same line in --chunk byte pieces, each write after the server has
                    had the CPU (a short sleep every --pause writes), so reads stay small
  lsp-at-once       the same JSON as one LSP frame
  lsp-trickled      the LSP frame in --chunk byte pieces

and reports the server's CPU time (user + system, from wait4's rusage) for each, and the
ratio trickled / at-once per framing. A linear decoder keeps both ratios close to each other;
a decoder that searches the whole pending line again on every read makes the NDJSON ratio
grow with the message size (quadratic).

  python3 bench/framing_trickle.py --bin .build/release/radar-rpc [--mib 8] [--chunk 256]

One JSON line on stdout; a table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time


def message(mib: float) -> bytes:
    pad = "x" * int(mib * 1024 * 1024)
    return json.dumps({"jsonrpc": "2.0", "id": 1, "method": "server.stats", "params": {"pad": pad}},
                      separators=(",", ":")).encode()


def run(binary: str, payload: bytes, chunk: int, pause_every: int) -> dict:
    proc = subprocess.Popen([binary, "--demo", "--max-message-bytes", str(len(payload) + 1024)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = bytearray()
    reader = threading.Thread(target=lambda: out.extend(proc.stdout.read()), daemon=True)
    reader.start()
    fd = proc.stdin.fileno()
    start = time.monotonic()
    writes = 0
    for offset in range(0, len(payload), chunk):
        os.write(fd, payload[offset:offset + chunk])
        writes += 1
        if pause_every and writes % pause_every == 0:
            time.sleep(0.0002)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    answered = b'"id":1' in out
    return {
        "cpuSeconds": round(usage.ru_utime + usage.ru_stime, 3),
        "wallSeconds": round(time.monotonic() - start, 3),
        "writes": writes,
        "exit": proc.returncode,
        "answered": answered,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--mib", type=float, default=8)
    parser.add_argument("--chunk", type=int, default=256)
    parser.add_argument("--pause", type=int, default=16, help="sleep briefly every N trickled writes")
    args = parser.parse_args()

    body = message(args.mib)
    ndjson = body + b"\n"
    lsp = b"Content-Length: %d\r\n\r\n" % len(body) + body
    results = {
        "ndjson-at-once": run(args.bin, ndjson, 1 << 20, 0),
        "ndjson-trickled": run(args.bin, ndjson, args.chunk, args.pause),
        "lsp-at-once": run(args.bin, lsp, 1 << 20, 0),
        "lsp-trickled": run(args.bin, lsp, args.chunk, args.pause),
    }
    for name, r in results.items():
        print(f"{name:16} cpu {r['cpuSeconds']:8.3f} s  wall {r['wallSeconds']:8.3f} s  writes {r['writes']:7}  "
              f"answered {r['answered']}", file=sys.stderr)
    ratio = {
        "ndjsonTrickledOverAtOnce": round(results["ndjson-trickled"]["cpuSeconds"]
                                          / max(results["ndjson-at-once"]["cpuSeconds"], 1e-3), 2),
        "lspTrickledOverAtOnce": round(results["lsp-trickled"]["cpuSeconds"]
                                       / max(results["lsp-at-once"]["cpuSeconds"], 1e-3), 2),
        "ndjsonTrickledOverLspTrickled": round(results["ndjson-trickled"]["cpuSeconds"]
                                               / max(results["lsp-trickled"]["cpuSeconds"], 1e-3), 2),
    }
    print(f"ratios: {ratio}", file=sys.stderr)
    print(json.dumps({"mib": args.mib, "chunk": args.chunk, "runs": results, "ratios": ratio}))
    return 0 if all(r["answered"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
