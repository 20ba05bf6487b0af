#!/usr/bin/env python3
"""syscalls.py - system calls, context switches and CPU time per request, pipelined.

What a server costs per message besides its own instructions (icount.py counts those): the
system calls it makes and the times it is switched out, in the throughput phase rpcbench.py
drives (64 requests in flight, the same frames as suite.py). Like icount.py, each figure comes
from two runs with N1 and N2 requests after the same warm-up, (X(N2) - X(N1)) / (N2 - N1), which
cancels start-up and shutdown:

- system calls: the server runs under `strace -f -c` (every thread); the total and the calls
  that matter here (read, write/writev, futex, epoll/poll) per request. strace slows every call,
  so the server sees fuller pipes than without it: read these as "under strace".
- context switches: voluntary (the thread blocked: waited for input, a lock, a hand-off to
  another thread) and involuntary (preempted), over every thread of the server, from wait4's
  rusage (tools/rusage_wrap.py sits between rpcbench and the server), without strace; and the
  server's CPU time per request (user + system, microseconds) from the same rusage.

  python3 syscalls.py --peer 'radar-rpc server.stats|0|--init --method server.stats --params {} --no-check-echo|/abs/radar-rpc'

Peers use suite.py's NAME|N|RPCBENCH-ARGS|COMMAND form (N is ignored). Needs strace.
Standard library only. One JSON line per peer with --json-out; a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from suite import parse_peer  # noqa: E402

STRACE_ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\w+)\s*$")
STRACE_TOTAL = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d*\s*(\d+)\s+(?:\d+\s+)?total\s*$")
GROUPS = {"read": ("read", "readv"), "write": ("write", "writev"), "futex": ("futex",),
          "poll": ("epoll_wait", "epoll_pwait", "poll", "ppoll", "select", "pselect6")}


def rpcbench(peer: dict, n: int, warmup: int, cmd: str, extra: list[str]) -> dict:
    argv = [sys.executable, os.path.join(HERE, "rpcbench.py"), "--quiet", "--label", peer["name"],
            "--n", str(n), "--window", "64", "--warmup", str(warmup), "--pingpong", "0",
            "--timeout", "600", "--exit-timeout", "60", *extra, *peer["args"], "--cmd", cmd]
    proc = subprocess.run(argv, cwd=HERE, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"ok": False, "error": f"no JSON from rpcbench: {proc.stderr[-400:]}"}


def strace_counts(path: str) -> dict:
    counts = {"total": 0}
    with open(path) as f:
        for line in f:
            m = STRACE_TOTAL.match(line)
            if m:
                counts["total"] = int(m.group(1))
                continue
            m = STRACE_ROW.match(line)
            if m:
                counts[m.group(3)] = int(m.group(1))
    return counts


def measure(peer: dict, n: int, warmup: int, extra: list[str]) -> tuple[dict, dict]:
    """(strace counts, rusage) of one run with n requests."""
    with tempfile.TemporaryDirectory(prefix="syscalls-") as d:
        trace = os.path.join(d, "strace.txt")
        r = rpcbench(peer, n, warmup, f"strace -f -c -o {shlex.quote(trace)} {peer['cmd']}", extra)
        if not r.get("ok"):
            raise RuntimeError(f"under strace: {r.get('error')}")
        counts = strace_counts(trace)
        usage_file = os.path.join(d, "rusage.json")
        wrap = f"{shlex.quote(sys.executable)} {shlex.quote(os.path.join(HERE, 'tools', 'rusage_wrap.py'))} "
        r = rpcbench(peer, n, warmup, f"{wrap}{shlex.quote(usage_file)} -- {peer['cmd']}", extra)
        if not r.get("ok"):
            raise RuntimeError(f"rusage run: {r.get('error')}")
        with open(usage_file) as f:
            usage = json.load(f)
    return counts, usage


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", action="append", default=[], help="NAME|N|RPCBENCH-ARGS|COMMAND")
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--n1", type=int, default=2000)
    ap.add_argument("--n2", type=int, default=12000)
    ap.add_argument("--rpcbench-args", default="", help="more rpcbench.py arguments (pinning)")
    ap.add_argument("--json-out", default=None)
    args = ap.parse_args(argv)
    peers = [parse_peer(s) for s in args.peer]
    extra = shlex.split(args.rpcbench_args)
    rows = []
    for p in peers:
        row = {"name": p["name"], "n1": args.n1, "n2": args.n2, "warmup": args.warmup}
        try:
            (c1, u1), (c2, u2) = measure(p, args.n1, args.warmup, extra), measure(p, args.n2, args.warmup, extra)
        except RuntimeError as e:
            row["error"] = str(e)
            rows.append(row)
            continue
        per = args.n2 - args.n1
        row["syscalls_per_req"] = (c2["total"] - c1["total"]) / per
        for group, names in GROUPS.items():
            row[f"{group}_per_req"] = sum(c2.get(s, 0) - c1.get(s, 0) for s in names) / per
        row["voluntary_ctxsw_per_req"] = (u2["nvcsw"] - u1["nvcsw"]) / per
        row["involuntary_ctxsw_per_req"] = (u2["nivcsw"] - u1["nivcsw"]) / per
        row["server_cpu_us_per_req"] = ((u2["utime"] + u2["stime"]) - (u1["utime"] + u1["stime"])) / per * 1e6
        rows.append(row)
        sys.stderr.write(f"{p['name']}: {json.dumps(row)}\n")

    print("| server | syscalls/req (strace) | read | write | futex | poll/epoll | voluntary ctx sw/req | "
          "involuntary ctx sw/req | CPU µs/req (rusage) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print(f"| {r['name']} | failed: {r['error'][:100]} | | | | | | | |")
            continue
        print(f"| {r['name']} | {r['syscalls_per_req']:.2f} | {r['read_per_req']:.2f} | {r['write_per_req']:.2f} | "
              f"{r['futex_per_req']:.2f} | {r['poll_per_req']:.2f} | {r['voluntary_ctxsw_per_req']:.2f} | "
              f"{r['involuntary_ctxsw_per_req']:.2f} | {r['server_cpu_us_per_req']:.1f} |")
    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    return 0 if all("error" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
