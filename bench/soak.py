#!/usr/bin/env python3
"""soak.py - 200,000 mixed requests through one radar-rpc process, memory sampled.

NDJSON, pipelined (at most --window messages unanswered), deterministic (--seed). The mix:
valid Radar requests (demo backend, a pool of --variants parameter sets: cache hits and
misses), `server.stats`, invalid params (-32602), unknown methods (-32601), invalid request
objects (-32600), lines that are not JSON (-32700, id null), batches of 2-5 mixed messages
with notifications inside, notifications alone, and requests cancelled right after they are
sent (`$/cancelRequest`; the answer is the result or -32800, whichever wins the race, but
exactly one). radar-rpc runs with --demo-latency so requests overlap and cancels find
something to cancel.

Checks: every request id answered exactly once, with the expected kind (result or the
expected error code); one id-null -32700 per non-JSON line; nothing on stdout that is not a
JSON line; afterwards `server.stats` shows inFlight 0 and queued 0; at end of input the
server exits 0. VmRSS is sampled from /proc every --sample requests, each at a quiet point
(everything sent so far answered). Growth after warm-up compares the largest sample of the last
half of the samples after warm-up with the largest of the first half, and must be < 5%:
a single sample swings by several MB with what the allocator holds at that moment (free heap
not yet trimmed), so one sample against one sample measures that swing, and a few samples may
miss the allocator's high-water mark; memory that really grows raises the late maximum above the
early one (800,000 requests: flat, +1.1%).

  python3 soak.py --bin ../.build/release/radar-rpc --n 200000

One JSON line on stdout (a summary on stderr); exit 1 on any failed check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

ANSWER = re.compile(rb'\{"jsonrpc":"2\.0","id":(\d+|null),"(result|error)":(\{"code":(-?\d+))?')
METHODS = {
    "radar.netflows.timeseriesGroups": ["ADM1", "AS", "LOCATION", "PRODUCT"],
    "radar.ct.timeseriesGroups": ["CA", "CA_OWNER", "DURATION", "LOG", "TLD", "VALIDATION_LEVEL"],
    "radar.leakedCredentialChecks.timeseriesGroups": ["COMPROMISED", "BOT_CLASS"],
}


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def hwm_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Generator:
    """Deterministic stream of messages and what each request must be answered with."""

    def __init__(self, seed: int, variants: int):
        self.rng = random.Random(seed)
        self.next_id = 1
        self.params = []
        for v in range(variants):
            method = list(METHODS)[v % len(METHODS)]
            dims = METHODS[method]
            p = {"dimension": dims[v % len(dims)], "dateRange": ["1d", "2d", "7d"][v % 3], "name": f"v{v}"}
            if p["dimension"] in ("AS", "LOCATION", "CA", "TLD"):
                p["limitPerGroup"] = 3 + v % 4
            self.params.append((method, p))

    def _id(self) -> int:
        i = self.next_id
        self.next_id += 1
        return i

    def message(self, in_batch: bool = False):
        """(message object or raw bytes, expectation or None, request count)."""
        r = self.rng.random()
        if r < 0.50:
            method, p = self.params[self.rng.randrange(len(self.params))]
            i = self._id()
            return {"jsonrpc": "2.0", "id": i, "method": method, "params": p}, (i, "result"), 1
        if r < 0.58:
            i = self._id()
            return {"jsonrpc": "2.0", "id": i, "method": "server.stats"}, (i, "result"), 1
        if r < 0.66:
            i = self._id()
            method, p = self.params[self.rng.randrange(len(self.params))]
            bad = dict(p, aggInterval="2h", dimension=p["dimension"].lower() + "x")
            return {"jsonrpc": "2.0", "id": i, "method": method, "params": bad}, (i, -32602), 1
        if r < 0.72:
            i = self._id()
            return {"jsonrpc": "2.0", "id": i, "method": "radar.netflow.timeseriesGroup"}, (i, -32601), 1
        if r < 0.77:
            i = self._id()
            return {"jsonrpc": "1.0", "id": i, "method": "server.stats"}, (i, -32600), 1
        if r < 0.82:
            return {"jsonrpc": "2.0", "method": self.rng.choice(["initialized", "$/setTrace", "x/unknown"])}, None, 0
        if r < 0.87 and not in_batch:
            # cut off inside its id, so no id is readable (contract §3): answered -32700 with id null
            return b'{"jsonrpc":"2.0","id":' + str(self.rng.randrange(10**6)).encode(), "parse", 0
        if r < 0.93 and not in_batch:
            n = self.rng.randint(2, 5)
            items, expects, count = [], [], 0
            for _ in range(n):
                m, e, c = self.message(in_batch=True)
                if isinstance(m, bytes):
                    continue
                items.append(m)
                if e is not None:
                    expects.append(e)
                count += c
            if not items:
                items.append({"jsonrpc": "2.0", "method": "initialized"})
            return items, ("batch", expects), count
        if in_batch:
            return {"jsonrpc": "2.0", "method": "initialized"}, None, 0
        i = self._id()
        method, p = self.params[self.rng.randrange(len(self.params))]
        # two lines: the request, then its cancellation
        return (json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": p}, separators=(",", ":"))
                + "\n" + json.dumps({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": i}})).encode(), \
            ("cancel", i), 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--n", type=int, default=200_000, help="requests (messages that carry an id)")
    ap.add_argument("--window", type=int, default=256)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--variants", type=int, default=48)
    ap.add_argument("--warmup", type=int, default=None, help="requests before the reference RSS sample (n/10, at least 20,000, at most n/2)")
    ap.add_argument("--sample", type=int, default=None, help="requests between RSS samples (n/40)")
    ap.add_argument("--demo-latency", default="1")
    args = ap.parse_args()
    args.warmup = min(max(args.n // 10, 20_000), args.n // 2) if args.warmup is None else args.warmup
    args.sample = max(args.n // 40, 100) if args.sample is None else args.sample

    proc = subprocess.Popen([args.bin, "--demo", "--framing", "ndjson", "--demo-latency", args.demo_latency],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    cond = threading.Condition()
    state = {"answered": {}, "null_parse": 0, "null_other": [], "bad": [], "batches": [], "units": 0, "eof": False}

    def reader():
        buf = b""
        fd = proc.stdout.fileno()
        while True:
            data = os.read(fd, 1 << 20)
            if not data:
                break
            buf += data
            *lines, buf = buf.split(b"\n")
            done = 0
            with cond:
                for line in lines:
                    if line.startswith(b"["):
                        try:
                            arr = json.loads(line)
                        except ValueError:
                            state["bad"].append(line[:200])
                            continue
                        for msg in arr:
                            kind = "error" if "error" in msg else "result"
                            record(msg.get("id"), kind, msg["error"]["code"] if kind == "error" else None)
                        state["batches"].append(len(arr))
                        done += 1
                        continue
                    m = ANSWER.match(line)
                    if not m:
                        state["bad"].append(line[:200])
                        continue
                    code = int(m.group(4)) if m.group(4) else None
                    rid = None if m.group(1) == b"null" else int(m.group(1))
                    if rid == 0:
                        state["final_stats"] = json.loads(line)
                    record(rid, m.group(2).decode(), code)
                    done += 1
                state["units"] -= done
                cond.notify_all()
        if buf:
            state["bad"].append(b"unterminated: " + buf[:200])
        with cond:
            state["eof"] = True
            cond.notify_all()

    def record(rid, kind, code):
        if rid is None:
            if code == -32700:
                state["null_parse"] += 1
            else:
                state["null_other"].append(code)
            return
        state["answered"].setdefault(rid, []).append((kind, code))

    threading.Thread(target=reader, daemon=True).start()
    gen = Generator(args.seed, args.variants)
    expects: dict[int, object] = {}
    parse_lines = 0
    batch_expect = 0
    samples = []
    sent_requests = 0
    next_sample = args.sample
    t0 = time.perf_counter()
    warm_rss = None
    while sent_requests < args.n:
        chunk = []
        units = 0
        while len(chunk) < 32 and sent_requests < args.n:
            msg, exp, count = gen.message()
            if exp == "parse":
                chunk.append(msg + b"\n")
                parse_lines += 1
                units += 1
                continue
            chunk.append((msg if isinstance(msg, bytes) else json.dumps(msg, separators=(",", ":")).encode()) + b"\n")
            sent_requests += count
            if exp is None:
                continue
            if exp[0] == "batch":
                for i, e in exp[1]:
                    expects[i] = e
                if exp[1]:
                    units += 1
                    batch_expect += 1
            elif exp[0] == "cancel":
                expects[exp[1]] = "cancel"
                units += 1
            else:
                expects[exp[0]] = exp[1]
                units += 1
        with cond:
            while state["units"] + units > args.window and not state["eof"]:
                cond.wait(30)
            state["units"] += units
        proc.stdin.write(b"".join(chunk))
        if sent_requests >= next_sample:
            with cond:  # sample at a quiet point: what was sent is answered
                cond.wait_for(lambda: state["units"] == 0 or state["eof"], timeout=60)
            rss = rss_kb(proc.pid)
            samples.append((sent_requests, rss))
            if warm_rss is None and sent_requests >= args.warmup:
                warm_rss = rss
            next_sample += args.sample
    with cond:
        cond.wait_for(lambda: state["units"] == 0 or state["eof"], timeout=120)
    elapsed = time.perf_counter() - t0
    proc.stdin.write(b'{"jsonrpc":"2.0","id":0,"method":"server.stats"}\n')
    with cond:
        cond.wait_for(lambda: 0 in state["answered"] or state["eof"], timeout=30)
    peak = hwm_kb(proc.pid)
    proc.stdin.close()
    code = proc.wait(timeout=60)
    time.sleep(0.2)  # let the reader take the last bytes
    failures = []
    answered = state["answered"]
    stats_answer = answered.pop(0, None)
    if stats_answer is None:
        failures.append("no answer to the final server.stats")
    missing = [i for i in expects if i not in answered]
    dup = [i for i, v in answered.items() if len(v) != 1]
    unexpected = [i for i in answered if i not in expects]
    wrong = []
    cancelled = 0
    for i, e in expects.items():
        got = answered.get(i)
        if not got or len(got) != 1:
            continue
        kind, c = got[0]
        if e == "cancel":
            if kind == "error" and c == -32800:
                cancelled += 1
            elif kind != "result":
                wrong.append((i, e, got[0]))
        elif e == "result":
            if kind != "result":
                wrong.append((i, e, got[0]))
        elif c != e:
            wrong.append((i, e, got[0]))
    if missing:
        failures.append(f"{len(missing)} requests never answered (e.g. {missing[:5]})")
    if dup:
        failures.append(f"{len(dup)} requests answered more than once (e.g. {dup[:5]})")
    if unexpected:
        failures.append(f"answers for ids never sent: {unexpected[:5]}")
    if wrong:
        failures.append(f"{len(wrong)} wrong answers, e.g. {wrong[:3]}")
    if state["null_parse"] != parse_lines:
        failures.append(f"{parse_lines} non-JSON lines but {state['null_parse']} id-null -32700 answers")
    if state["null_other"]:
        failures.append(f"unexpected id-null errors: {state['null_other'][:5]}")
    if len(state["batches"]) != batch_expect:
        failures.append(f"{batch_expect} batches with requests but {len(state['batches'])} batch answers")
    if state["bad"]:
        failures.append(f"{len(state['bad'])} output lines that are not answers, e.g. {state['bad'][:2]}")
    if code != 0:
        failures.append(f"exit status {code} at end of input")
    final = (state.get("final_stats") or {}).get("result") or {}
    if final.get("inFlight") != 0 or final.get("queued") != 0:
        failures.append(f"after the soak server.stats shows inFlight {final.get('inFlight')} queued {final.get('queued')}")
    last = samples[-1][1] if samples else 0
    after = [r for n, r in samples if n >= args.warmup]
    half = max(1, len(after) // 2)
    early_max = max(after[:half], default=None)
    late_max = max(after[-half:], default=None)
    growth = (late_max - early_max) / early_max if early_max else None
    if growth is None or growth >= 0.05:
        failures.append(f"RSS growth after warm-up {growth}")
    out = {"requests": sent_requests, "seconds": elapsed, "rps": sent_requests / elapsed, "seed": args.seed,
           "window": args.window, "demo_latency_ms": args.demo_latency, "variants": args.variants,
           "cancelled_answered_-32800": cancelled, "parse_error_lines": parse_lines, "batches": batch_expect,
           "rss_warm_kb": warm_rss, "rss_last_kb": last, "rss_early_max_kb": early_max, "rss_late_max_kb": late_max,
           "rss_max_after_warmup_kb":
               max((r for n, r in samples if n >= args.warmup), default=None),
           "growth_after_warmup": growth, "peak_rss_kb": peak, "samples": samples,
           "final_stats": final, "exit_code": code, "failures": failures, "ok": not failures}
    print(json.dumps(out))
    sys.stderr.write(f"soak: {sent_requests} requests in {elapsed:.1f}s ({out['rps']:,.0f}/s), RSS max of the "
                     f"first half after warm-up {early_max} KB -> of the second half {late_max} KB "
                     f"({(growth or 0) * 100:+.1f}%), peak {peak} KB, "
                     f"{cancelled} cancelled, {'ok' if not failures else 'FAILED: ' + '; '.join(failures)}\n")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
