#!/usr/bin/env python3
"""NetFlows traffic by product for the last week, as a table (and a PNG chart with matplotlib).

Works on a fresh clone after `swift build`, with no token and no network:

    python3 clients/python/examples/netflows_table.py --demo

Without --demo it asks Cloudflare (set CLOUDFLARE_API_TOKEN). The radar-rpc binary is found
through $RADAR_RPC_BIN, the repository's .build folder, or PATH. The chart is saved only when
matplotlib is installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

try:
    import radar_rpc
except ImportError:  # not installed: use the package next to this example
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import radar_rpc


def table(result: radar_rpc.RadarResult, series: str) -> str:
    """One row per timestamp, one column per group, values in percent."""
    data = result.series[series]
    groups = list(data.groups)
    header = ["date"] + groups
    rows = [
        [t.strftime("%Y-%m-%d")] + ["%.2f" % data.groups[g][i] for g in groups] for i, t in enumerate(data.timestamps)
    ]
    widths = [max(len(row[c]) for row in [header] + rows) for c in range(len(header))]
    lines = [
        "  ".join(cell.rjust(w) if c else cell.ljust(w) for c, (cell, w) in enumerate(zip(row, widths)))
        for row in [header] + rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def chart(result: radar_rpc.RadarResult, series: str, path: Path) -> bool:
    """Saves a line chart of the series; False (and nothing else) when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    data = result.series[series]
    figure, axes = plt.subplots(figsize=(8, 4))
    for group, values in data.groups.items():
        axes.plot(data.timestamps, values, marker="o", label=group)
    axes.set_ylabel("share of traffic (%)")
    axes.set_title("NetFlows by product")
    axes.legend()
    figure.autofmt_xdate()
    figure.savefig(str(path), dpi=100)
    plt.close(figure)
    return True


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="use radar-rpc's synthetic data (no token needed)")
    parser.add_argument("--date-range", default="7d", help="Radar dateRange (default 7d)")
    parser.add_argument("--chart", type=Path, default=Path("netflows.png"), help="PNG to write (default netflows.png)")
    options = parser.parse_args(argv)

    with radar_rpc.RadarClient(demo=options.demo) as radar:
        result = radar.netflows_timeseries_groups("PRODUCT", date_range=options.date_range, agg_interval="1d")
    print("NetFlows by product, %s (%s):" % (options.date_range, "demo data" if options.demo else "Cloudflare Radar"))
    print(table(result, "serie_0"))
    if chart(result, "serie_0", options.chart):
        print("chart saved to %s" % options.chart)
    return 0


if __name__ == "__main__":
    sys.exit(main())
