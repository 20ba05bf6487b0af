#!/usr/bin/env python3
"""cgprofile.py - where a server's instructions per request go, function by function.

Runs the server under callgrind twice through rpcbench.py (one request in flight, like
icount.py), with N1 and N2 requests after the same warm-up, and subtracts the per-function
totals: (Ir_N2(f) - Ir_N1(f)) / (N2 - N1) is what function f costs per request, with
start-up, warm-up and shutdown cancelled out. Prints the top functions, exclusive (self)
and inclusive, as instructions per request.

  python3 tools/cgprofile.py --cmd '/abs/radar-rpc' -- --method server.stats --params {} --no-check-echo
  (everything after `--` goes to rpcbench.py)

Needs valgrind and callgrind_annotate. Standard library only.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"^\s*([0-9][0-9,]*)\s+\([^)]*\)\s+(\S+:.*?)(?:\s+\[[^\]]*\])?$")


def run_callgrind(d: str, cmd: str, rpc_args: list[str], n: int, warmup: int, vg_opts: str = "") -> list[str]:
    """Runs the server under callgrind via rpcbench; returns the callgrind output files."""
    vg = f"valgrind --tool=callgrind --dump-instr=no {vg_opts} --callgrind-out-file={d}/cg.%p "
    argv = [sys.executable, os.path.join(HERE, "rpcbench.py"), "--quiet", "--n", str(n), "--window", "1",
            "--warmup", str(warmup), "--pingpong", "0", "--timeout", "1800", "--exit-timeout", "300",
            *rpc_args, "--cmd", vg + cmd]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=HERE)
    if '"ok":true' not in proc.stdout:
        raise SystemExit(f"rpcbench failed: {proc.stdout[-600:]} {proc.stderr[-600:]}")
    return sorted(glob.glob(os.path.join(d, "cg.*")))


def totals(path: str) -> int:
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    return 0


def unit_cost(cmd, rpc_args, n1, n2, warmup, pattern) -> float:
    """Instructions per request spent inside functions matching `pattern` (and their callees)."""
    irs = []
    for n in (n1, n2):
        with tempfile.TemporaryDirectory(prefix="cgprofile-") as d:
            files = run_callgrind(d, cmd, rpc_args, n, warmup, f"--toggle-collect='{pattern}'")
            irs.append(sum(totals(f) for f in files))
    return (irs[1] - irs[0]) / (n2 - n1)


def thread_costs(cmd, rpc_args, n1, n2, warmup) -> list[tuple[str, float]]:
    """Instructions per request by thread (named by the function that runs it)."""
    per: list[dict[str, int]] = []
    for n in (n1, n2):
        with tempfile.TemporaryDirectory(prefix="cgprofile-") as d:
            files = run_callgrind(d, cmd, rpc_args, n, warmup, "--separate-threads=yes")
            acc: dict[str, int] = {}
            for f in files:
                with open(f, errors="replace") as fh:
                    text = fh.read()
                if "readLoop" in text:
                    name = "reader thread (Connection.readLoop: read, deframe, parse, admit, Task creation)"
                elif "writeLoop" in text:
                    name = "writer thread (OutputQueue.writeLoop: write(2))"
                elif "_dispatch_worker_thread" in text:
                    name = "cooperative pool threads (the request Tasks: handler, response, enqueue)"
                else:
                    name = "main thread and others"
                acc[name] = acc.get(name, 0) + totals(f)
            per.append(acc)
    return [(k, (per[1].get(k, 0) - per[0].get(k, 0)) / (n2 - n1)) for k in sorted(set(per[0]) | set(per[1]))]


def profile(cmd: str, rpc_args: list[str], n: int, warmup: int, inclusive: bool, keep: str | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="cgprofile-") as d:
        files = run_callgrind(d, cmd, rpc_args, n, warmup)
        if keep:
            for f in files:
                subprocess.run(["cp", f, f"{keep}.{n}"], check=True)
        out: dict[str, int] = {}
        for f in files:
            ann = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}",
                                  "--threshold=100", f], capture_output=True, text=True).stdout
            for line in ann.splitlines():
                m = LINE.match(line)
                if not m:
                    continue
                # "file:function [object]": the file part has no colon; C++ names may
                name = m.group(2).split(":", 1)[-1]
                out[name] = out.get(name, 0) + int(m.group(1).replace(",", ""))
        return out


def demangle(names: list[str]) -> dict[str, str]:
    try:
        proc = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                              capture_output=True, text=True, timeout=60)
        lines = proc.stdout.splitlines()
        if len(lines) == len(names):
            return dict(zip(names, lines))
    except (OSError, subprocess.TimeoutExpired):
        pass
    return {n: n for n in names}


def main() -> int:
    argv = sys.argv[1:]
    rpc_args: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, rpc_args = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--n1", type=int, default=200)
    ap.add_argument("--n2", type=int, default=1200)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--keep", default=None, help="keep the raw callgrind files as KEEP.N1 / KEEP.N2")
    ap.add_argument("--threads", action="store_true", help="also split the cost by thread")
    ap.add_argument("--unit", action="append", default=[], metavar="NAME=GLOB",
                    help="also measure the inclusive cost of the functions matching GLOB (callgrind "
                         "--toggle-collect; synchronous functions only: async ones are split into pieces)")
    ap.add_argument("--no-functions", action="store_true", help="skip the per-function tables")
    args = ap.parse_args(argv)
    per = args.n2 - args.n1
    if args.threads:
        print("\n## instructions per request by thread\n| instr/req | thread |\n|---:|---|")
        for name, v in thread_costs(args.cmd, rpc_args, args.n1, args.n2, args.warmup):
            print(f"| {v:,.0f} | {name} |")
    if args.unit:
        print("\n## instructions per request inside a unit (inclusive)\n| instr/req | unit | pattern |\n|---:|---|---|")
        for spec in args.unit:
            name, _, pattern = spec.partition("=")
            v = unit_cost(args.cmd, rpc_args, args.n1, args.n2, args.warmup, pattern)
            print(f"| {v:,.0f} | {name} | `{pattern}` |", flush=True)
    if args.no_functions:
        return 0
    for inclusive in (False, True):
        a = profile(args.cmd, rpc_args, args.n1, args.warmup, inclusive, args.keep if not inclusive else None)
        b = profile(args.cmd, rpc_args, args.n2, args.warmup, inclusive, None)
        diff = {k: (b.get(k, 0) - a.get(k, 0)) / per for k in set(a) | set(b)}
        top = sorted(diff.items(), key=lambda kv: -kv[1])[: args.top]
        names = demangle([k for k, _ in top])
        total = sum(v for v in diff.values()) if not inclusive else None
        print(f"\n## {'inclusive' if inclusive else 'exclusive (self)'} instructions per request"
              + (f" (sum of all functions: {total:,.0f})" if total is not None else ""))
        print("| instr/req | function |\n|---:|---|")
        for k, v in top:
            print(f"| {v:,.0f} | `{names.get(k, k)[:150]}` |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
