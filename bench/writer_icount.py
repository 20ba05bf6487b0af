#!/usr/bin/env python3
"""writer_icount.py - instructions per output byte of serialising a fresh 250 KB demo answer.

Runs `radar-benchmarks writer-icount demo|tree K` under callgrind, counting only the function
that serialises (--toggle-collect): `DemoJSON.result`, which writes a fresh demo answer (CT CA,
7 days at 15 minutes, 3 series × 672 points) straight to bytes from its numbers (the timestamps'
seconds and the values' scaled integers: every digit of the answer is written inside it, and the
bytes are taken out as the `[UInt8]` the server sends), and `serializeForCallgrind`,
which writes the same answer from a JSONValue tree with JSONWriter (what a live answer costs
once, when it enters the cache). Instructions / (calls × bytes); deterministic, like icount.py.

  python3 writer_icount.py --bin ../.build/release/radar-benchmarks

One JSON line on stdout. Needs valgrind. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

KINDS = {
    # kind: (callgrind toggle, calls of the toggled function per `writer-icount KIND K`)
    "demo": ("*8DemoJSONO6result*", lambda k: k + 1),  # the sample answer, then K more
    "tree": ("*serializeForCallgrind*", lambda k: k),
}


def count(binary: str, kind: str, times: int) -> dict:
    toggle, calls = KINDS[kind]
    with tempfile.TemporaryDirectory(prefix="writer-icount-") as d:
        out = os.path.join(d, "cg.out")
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--toggle-collect={toggle}",
                               f"--callgrind-out-file={out}", binary, "writer-icount", kind, str(times)],
                              capture_output=True, text=True)
        m = re.search(r"writer-icount \w+: \d+ × (\d+) bytes", proc.stderr)
        total = None
        if os.path.exists(out):
            with open(out) as f:
                for line in f:
                    if line.startswith("totals:"):
                        total = int(line.split()[1])
        if proc.returncode != 0 or not m or not total:
            return {"error": f"exit {proc.returncode}: {proc.stdout[-200:]} {proc.stderr[-300:]}"}
    size = int(m.group(1))
    n = calls(times)
    return {"bytes": size, "calls": n, "instructions": total, "instr_per_byte": total / (n * size)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the radar-benchmarks executable")
    ap.add_argument("--times", type=int, default=10)
    args = ap.parse_args()
    result = {kind: count(args.bin, kind, args.times) for kind in KINDS}
    print(json.dumps(result))
    for kind, r in result.items():
        sys.stderr.write(f"writer {kind}: " + (f"{r['instr_per_byte']:.2f} instructions/byte ({r['bytes']:,} bytes)\n"
                                               if "error" not in r else f"failed: {r['error']}\n"))
    return 0 if all("error" not in r for r in result.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
