#!/usr/bin/env python3
"""report.py RESULTS_DIR - the table of one bench/run, in Markdown, from its raw results.

Reads RESULTS_DIR/{env.txt, runs.jsonl, icount.jsonl, syscalls.jsonl, writer-icount.json,
fanin.json, soak.json, radar-benchmarks.txt}; whatever is missing is left out. Medians over repetitions.
"""

from __future__ import annotations

import json
import os
import statistics
import sys


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text.splitlines()[-1]) if text else None


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, spec, dash="-"):
    return dash if v is None else format(v, spec)


def main() -> int:
    d = sys.argv[1]
    out = []
    env = open(os.path.join(d, "env.txt")).read().strip() if os.path.exists(os.path.join(d, "env.txt")) else ""
    runs = load_jsonl(os.path.join(d, "runs.jsonl"))
    icount = {r["name"]: r for r in load_jsonl(os.path.join(d, "icount.jsonl"))}
    syscalls = {r["name"]: r for r in load_jsonl(os.path.join(d, "syscalls.jsonl"))}
    writer = load_json(os.path.join(d, "writer-icount.json"))
    fanin = load_json(os.path.join(d, "fanin.json"))
    soak = load_json(os.path.join(d, "soak.json"))
    bench_txt = os.path.join(d, "radar-benchmarks.txt")
    inproc = open(bench_txt).read().strip().splitlines() if os.path.exists(bench_txt) else []

    labels = []
    for r in runs:
        if r["label"] not in labels:
            labels.append(r["label"])
    rows = {}
    for label in labels:
        ok = [r for r in runs if r["label"] == label and r.get("ok")]
        failed = [r for r in runs if r["label"] == label and not r.get("ok")]
        tps = [r["throughput_rps"] for r in ok]
        rows[label] = {
            "ok": len(ok), "failed": len(failed), "errors": [r.get("error") for r in failed],
            "n": ok[0]["n"] if ok else None,
            "startup": med([r["startup_ms"] for r in ok]),
            "tp": med(tps), "tp_min": min(tps) if tps else None, "tp_max": max(tps) if tps else None,
            "p50": med([r["p50_us"] for r in ok]), "p99": med([r["p99_us"] for r in ok]),
            "rss": med([r["peak_rss_mb"] for r in ok]),
            "cpu": med([r["throughput"]["server_cpu_us_per_req"] for r in ok]),
        }

    def ic(name):
        r = icount.get(name)
        return r.get("instr_per_req") if r else None

    out.append("```\n" + env + "\n```\n")

    # -- radar-rpc itself ------------------------------------------------------------------
    s_lsp = rows.get("radar-rpc server.stats lsp", {})
    s_nd = rows.get("radar-rpc server.stats ndjson", {})
    n_lsp = rows.get("radar-rpc netflows cached lsp", {})
    n_nd = rows.get("radar-rpc netflows cached ndjson", {})
    out.append("### radar-rpc (release), medians of the repetitions\n")
    out.append("| measurement | LSP framing | NDJSON framing | aim |")
    out.append("|---|---:|---:|---|")
    out.append(f"| `server.stats` pipelined throughput, 64 in flight (req/s) | {fmt(s_lsp.get('tp'), ',.0f')} | "
               f"{fmt(s_nd.get('tp'), ',.0f')} | ≥ 1.5× python-lsp-jsonrpc, ≥ node |")
    out.append(f"| `server.stats` ping-pong latency p50 / p99 (µs) | {fmt(s_lsp.get('p50'), '.0f')} / "
               f"{fmt(s_lsp.get('p99'), '.0f')} | {fmt(s_nd.get('p50'), '.0f')} / {fmt(s_nd.get('p99'), '.0f')} | |")
    out.append(f"| cached `radar.netflows.timeseriesGroups` (demo) throughput (req/s) | {fmt(n_lsp.get('tp'), ',.0f')} | "
               f"{fmt(n_nd.get('tp'), ',.0f')} | |")
    out.append(f"| cached `radar.netflows.timeseriesGroups` p50 / p99 (µs) | {fmt(n_lsp.get('p50'), '.0f')} / "
               f"{fmt(n_lsp.get('p99'), '.0f')} | {fmt(n_nd.get('p50'), '.0f')} / {fmt(n_nd.get('p99'), '.0f')} | |")
    out.append(f"| start-up: spawn → `initialize` answer (ms, median of 5 spawns) | {fmt(s_lsp.get('startup'), '.1f')} | "
               f"{fmt(s_nd.get('startup'), '.1f')} | < 10 ms |")
    out.append(f"| peak RSS after {fmt(s_lsp.get('n'), ',')} `server.stats` requests (MB, VmHWM) | "
               f"{fmt(s_lsp.get('rss'), '.1f')} | {fmt(s_nd.get('rss'), '.1f')} | < 15 MB |")
    out.append(f"| peak RSS after {fmt(n_lsp.get('n'), ',')} cached Radar requests (MB) | {fmt(n_lsp.get('rss'), '.1f')} | "
               f"{fmt(n_nd.get('rss'), '.1f')} | < 15 MB |")
    out.append(f"| instructions / request (callgrind, user space) | stats {fmt(ic('radar-rpc server.stats'), ',.0f')}; "
               f"netflows {fmt(ic('radar-rpc netflows cached'), ',.0f')} | | ≤ 30,000 |")
    out.append("")

    # -- side by side -----------------------------------------------------------------------
    out.append("### Side by side (same run, interleaved; peers answer `bench/echo` with 202-byte params)\n")
    out.append("| server | startup ms | throughput req/s (min–max) | p50 µs | p99 µs | peak RSS MB | server CPU µs/req "
               "| instr/req | runs |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label in labels:
        r = rows[label]
        icn = ic(label) if label in icount else ic(label.replace(" lsp", "")) if label.endswith(" lsp") else None
        out.append(f"| {label} | {fmt(r['startup'], '.1f')} | {fmt(r['tp'], ',.0f')} ({fmt(r['tp_min'], ',.0f')}–"
                   f"{fmt(r['tp_max'], ',.0f')}) | {fmt(r['p50'], '.0f')} | {fmt(r['p99'], '.0f')} | "
                   f"{fmt(r['rss'], '.1f')} | {fmt(r['cpu'], '.1f')} | {fmt(icn, ',.0f')} | {r['ok']}/{r['ok'] + r['failed']} |")
    for label in labels:
        for e in rows[label]["errors"]:
            out.append(f"\nFAILED {label}: {e}")
    out.append("")
    py = rows.get("pylsp-jsonrpc", {}).get("tp")
    node = rows.get("node-raw", {}).get("tp")
    limit = rows.get("limit", {}).get("tp")
    mine = s_lsp.get("tp")
    if mine and py:
        out.append(f"Ratios (`server.stats` LSP throughput): {mine / py:.2f}× python-lsp-jsonrpc"
                   + (f", {mine / node:.2f}× node-raw" if node else "")
                   + (f", {mine / rows['pygls']['tp']:.1f}× pygls" if rows.get("pygls", {}).get("tp") else "")
                   + (f", {mine / limit:.2f}× the C ceiling" if limit else "") + ".")
        ipy, imine = ic("pylsp-jsonrpc"), ic("radar-rpc server.stats")
        if ipy and imine:
            out.append(f"Instructions: radar-rpc `server.stats` {imine:,.0f} vs python-lsp-jsonrpc echo {ipy:,.0f} "
                       f"({ipy / imine:.1f}× fewer), C ceiling {fmt(ic('limit'), ',.0f')}.")
        out.append("")

    # -- per request: instructions, system calls, context switches ------------------------------
    if syscalls:
        out.append("### Per request: instructions, system calls, context switches (64 in flight)\n")
        out.append("Instructions: `icount.py` (callgrind, one request in flight). System calls: `syscalls.py`, the "
                   "server under `strace -f -c` (every thread; strace slows each call, so pipes run fuller than "
                   "without it). Context switches and CPU time: the same load without strace, wait4's rusage of "
                   "every thread of the server. All as (X(N2) − X(N1)) / (N2 − N1).\n")
        out.append("| server | instr/req | syscalls/req | read | write | futex | epoll/poll | voluntary ctx sw/req | "
                   "involuntary ctx sw/req | CPU µs/req |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, r in syscalls.items():
            if "error" in r:
                out.append(f"| {name} | {fmt(ic(name), ',.0f')} | failed: {r['error'][:80]} | | | | | | | |")
                continue
            out.append(f"| {name} | {fmt(ic(name), ',.0f')} | {r['syscalls_per_req']:.2f} | {r['read_per_req']:.2f} | "
                       f"{r['write_per_req']:.2f} | {r['futex_per_req']:.2f} | {r['poll_per_req']:.2f} | "
                       f"{r['voluntary_ctxsw_per_req']:.3f} | {r['involuntary_ctxsw_per_req']:.3f} | "
                       f"{r['server_cpu_us_per_req']:.1f} |")
        out.append("")
    if writer:
        out.append("### Serialising a fresh 250 KB demo answer (`writer_icount.py`, callgrind)\n")
        out.append("| what | bytes | instructions / output byte |\n|---|---:|---:|")
        labels_w = {"demo": "the demo's answer written straight to bytes (`DemoJSON.result`, JSONStreamWriter)",
                    "tree": "the same answer as a JSONValue tree through JSONWriter"}
        for kind, r in writer.items():
            if "error" in r:
                out.append(f"| {labels_w.get(kind, kind)} | failed | {r['error'][:80]} |")
            else:
                out.append(f"| {labels_w.get(kind, kind)} | {r['bytes']:,} | {r['instr_per_byte']:.2f} |")
        out.append("")

    # -- live path --------------------------------------------------------------------------
    if fanin:
        out.append("### Live path against the local fake Cloudflare API (`Tests/Support/fake_cloudflare.py`)\n")
        out.append("| coalescing fan-in: N identical concurrent requests, upstream latency 200 ms | upstream calls | "
                   "wall ms (median of 3, max) | first answer ms | the driver alone reading the same answers, ms |")
        out.append("|---|---:|---:|---:|---:|")
        for r in fanin.get("fanin", []):
            floor = r.get("driver_floor_ms_median")
            out.append(f"| N = {r['n']:,} | {r['upstream_calls']} | {r['wall_ms_median']:.0f} ({r['wall_ms_max']:.0f}) | "
                       f"{r['first_answer_ms_median']:.0f} | {'-' if floor is None else f'{floor:.0f}'} |")
        a = fanin.get("added_latency")
        if a:
            out.append("")
            out.append("| added latency (fake latency 0, `--cache-ttl 0`, "
                       f"{a['calls']} calls interleaved, {a['answer_bytes']:,}-byte answer) | p50 µs | p99 µs |")
            out.append("|---|---:|---:|")
            out.append(f"| direct HTTP GET of the same URL (keep-alive, body JSON-decoded) | {a['direct_p50_us']:.0f} | "
                       f"{a['direct_p99_us']:.0f} |")
            out.append(f"| the same request through radar-rpc (JSON-RPC over pipes, result decoded) | {a['rpc_p50_us']:.0f} | "
                       f"{a['rpc_p99_us']:.0f} |")
            out.append(f"| **added by radar-rpc** (aim: < 1 ms at p50) | **{a['added_p50_us']:.0f}** | "
                       f"**{a['added_p99_us']:.0f}** |")
            lat = a.get("server_upstream_latency_ms") or {}
            out.append(f"\nradar-rpc's own view of the upstream call (`server.stats` upstream.latencyMs): p50 "
                       f"{lat.get('p50')} ms, p99 {lat.get('p99')} ms; upstream calls {a['upstream_calls']} of "
                       f"{a['expected_upstream_calls']} expected (every call went upstream).")
        out.append("")

    if soak:
        out.append("### Soak (`soak.py`, release binary)\n")
        def mb(kb):
            return fmt(kb / 1024 if kb else None, ".1f")

        growth = soak["growth_after_warmup"]
        out.append(f"{soak['requests']:,} mixed requests in {soak['seconds']:.1f} s ({soak['rps']:,.0f}/s), seed "
                   f"{soak['seed']}: RSS at most {mb(soak.get('rss_early_max_kb'))} MB in the first half after "
                   f"warm-up → at most {mb(soak.get('rss_late_max_kb'))} MB in the second half "
                   f"({fmt(growth * 100 if growth is not None else None, '+.1f')}%, aim < 5%; max after warm-up "
                   f"{mb(soak['rss_max_after_warmup_kb'])} MB, peak {mb(soak['peak_rss_kb'])} MB); "
                   f"{soak['cancelled_answered_-32800']:,} cancelled, {soak['batches']:,} batches, "
                   f"{soak['parse_error_lines']:,} non-JSON lines; afterwards inFlight "
                   f"{soak['final_stats'].get('inFlight')}, queued {soak['final_stats'].get('queued')}; "
                   f"exit {soak['exit_code']}; {'all checks passed' if soak['ok'] else 'FAILED: ' + '; '.join(soak['failures'])}.")
        out.append("")

    if inproc:
        out.append("### In-process (`radar-benchmarks`, release)\n")
        out.append("```\n" + "\n".join(inproc) + "\n```\n")

    # -- aims -------------------------------------------------------------------------------
    aims = []

    def aim(name, ok, value):
        aims.append(f"| {name} | {value} | {'met' if ok else '**missed**'} |")

    if mine and py:
        aim("throughput ≥ 1.5× python-lsp-jsonrpc", mine >= 1.5 * py, f"{mine / py:.2f}×")
    if mine and node:
        aim("throughput ≥ node peer", mine >= node, f"{mine / node:.2f}×")
    if ic("radar-rpc server.stats"):
        aim("≤ 25,000 instructions/request (`server.stats`)", ic("radar-rpc server.stats") <= 25000,
            f"{ic('radar-rpc server.stats'):,.0f}")
    if ic("radar-rpc netflows cached"):
        aim("≤ 40,000 instructions/request (cached `radar.netflows.timeseriesGroups`)",
            ic("radar-rpc netflows cached") <= 40000, f"{ic('radar-rpc netflows cached'):,.0f}")
    if n_lsp.get("tp") and node:
        aim("cached `radar.netflows.timeseriesGroups` throughput ≥ node peer's echo", n_lsp["tp"] >= node,
            f"{n_lsp['tp'] / node:.2f}×")
    node_cpu = syscalls.get("node-raw", {}).get("server_cpu_us_per_req")
    my_cpu = syscalls.get("radar-rpc server.stats", {}).get("server_cpu_us_per_req")
    if node_cpu and my_cpu:
        aim("`server.stats` server CPU µs/request ≤ half of node's (rusage, `syscalls.py`)", my_cpu <= node_cpu / 2,
            f"{my_cpu:.1f} vs {node_cpu:.1f} µs")
    if writer and "error" not in writer.get("demo", {"error": 1}):
        w = writer["demo"]["instr_per_byte"]
        aim("≤ 5 instructions per output byte, fresh 250 KB demo answer", w <= 5, f"{w:.2f}")
    if s_lsp.get("startup"):
        aim("< 10 ms to the `initialize` answer", s_lsp["startup"] < 10, f"{s_lsp['startup']:.1f} ms")
    if s_lsp.get("rss"):
        worst = max(v for v in (s_lsp.get("rss"), s_nd.get("rss"), n_lsp.get("rss"), n_nd.get("rss")) if v)
        aim("< 15 MB peak RSS (worst radar-rpc row)", worst < 15, f"{worst:.1f} MB")
    if fanin:
        for r in fanin.get("fanin", []):
            aim(f"fan-in N={r['n']}: 1 upstream call, wall near 200 ms", r["upstream_calls"] == 1 and r["wall_ms_median"] < 260,
                f"{r['upstream_calls']} call, {r['wall_ms_median']:.0f} ms")
        by_n = {r["n"]: r["wall_ms_median"] for r in fanin.get("fanin", [])}
        if 10 in by_n and 1000 in by_n:
            floors = {r["n"]: r.get("driver_floor_ms_median") for r in fanin.get("fanin", [])}
            floor = f"; the driver alone takes {floors[1000]:.0f} ms to read the 1,000 answers" if floors.get(1000) else ""
            aim("fan-in: 1,000 callers within 10% of the wall time of 10", by_n[1000] <= 1.1 * by_n[10],
                f"{by_n[1000]:.0f} vs {by_n[10]:.0f} ms ({by_n[1000] / by_n[10] - 1:+.0%}){floor}")
        if fanin.get("added_latency"):
            a = fanin["added_latency"]["added_p50_us"]
            aim("added latency < 1 ms at p50", a < 1000, f"{a:.0f} µs")
    if soak and soak.get("growth_after_warmup") is not None:
        g = soak["growth_after_warmup"]
        aim("soak: RSS growth after warm-up < 5%", g < 0.05, f"{g * 100:+.1f}%")
    if aims:
        out.append("### Aims\n")
        out.append("| aim | measured | |\n|---|---:|---|")
        out.extend(aims)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
