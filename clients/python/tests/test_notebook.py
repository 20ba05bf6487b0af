"""The README's notebook section, run as a real notebook: built with nbformat, executed by
nbclient in an IPython kernel (ipykernel), the way Jupyter runs it.

The client cell runs three times and one server is left; the result shows as a table; the
DataFrames (wide and long) carry meta; the chart is a PNG; the progress display is replaced
in place by "done"; the subscription's table is replaced in place by each of three updates;
and once the kernel has shut down no server is left.

nbclient, nbformat, ipykernel, pandas and matplotlib come from PyPI (``scripts/test`` installs
them when missing and sets ``RADAR_RPC_REQUIRE_NOTEBOOK=1``, so there this test cannot skip).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

from support import PYTHON_CLIENT, WAIT, wait_until

REQUIRED = os.environ.get("RADAR_RPC_REQUIRE_NOTEBOOK") == "1"


def _import(name: str) -> Any:
    if REQUIRED:
        return __import__(name)
    return pytest.importorskip(name)


def readme_cells() -> List[str]:
    """The python blocks of the README's "In a notebook" section, one cell each."""
    readme = (PYTHON_CLIENT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## In a notebook\n", 1)[1].split("\n## ", 1)[0]
    return [block.rstrip("\n") for block in re.findall(r"^```python\n(.*?)^```$", section, re.S | re.M)]


# Checks run in the kernel between the README's cells.
SERVERS_OF_THIS_KERNEL = """
import os

def radar_servers():
    '''radar-rpc processes whose parent is this kernel (zombies cannot be read: a reaped or
    dying process is not a server).'''
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            exe = os.path.basename(os.readlink("/proc/%s/exe" % pid))
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and exe.startswith("radar-rpc") and fields[0] != "Z":
            found.append(int(pid))
    return found

assert radar_servers() == [radar.pid], radar_servers()
assert all(out is radar for n, out in Out.items() if type(out).__name__ == "RadarClient"), Out
print("KERNEL", os.getpid(), "SERVER", radar.pid)
"""

CHECK_FRAMES = """
import pandas
assert isinstance(wide.index, pandas.DatetimeIndex) and str(wide.index.tz) == "UTC"
assert list(wide.columns) == list(result["serie_0"].groups) and wide.attrs["meta"] == result.meta
assert list(long.columns) == ["series", "timestamp", "group", "value"] and long.attrs["meta"] == result.meta
assert len(long) == wide.size
"""


def execute(notebook: Any, path: Path) -> Dict[int, List[Dict[str, Any]]]:
    """Runs the notebook; returns, per cell index, the display messages the kernel sent."""
    nbclient = _import("nbclient")
    seen: Dict[int, List[Dict[str, Any]]] = {}

    class Recording(nbclient.NotebookClient):  # type: ignore[misc,name-defined]
        def process_message(self, msg: Dict[str, Any], cell: Any, cell_index: int) -> Any:
            if msg["msg_type"] in ("display_data", "update_display_data"):
                seen.setdefault(cell_index, []).append(
                    {"type": msg["msg_type"], "id": msg["content"].get("transient", {}).get("display_id"),
                     "data": msg["content"].get("data", {})}
                )
            return super().process_message(msg, cell, cell_index)

    Recording(notebook, timeout=WAIT * 4, kernel_name="python3", resources={"metadata": {"path": str(path)}}).execute()
    return seen


def test_the_readme_notebook_section_runs_in_a_kernel(radar_bin: str, tmp_path: Path) -> None:
    nbformat = _import("nbformat")
    for name in ("ipykernel", "pandas", "matplotlib"):
        _import(name)
    blocks = readme_cells()
    assert len(blocks) == 7, "the README's notebook section changed: update this test with it"
    client, table, wide, long, plot, progress, subscription = blocks
    assert "radar_rpc.shared(" in client and "watch(" in subscription and "progress()" in progress
    png = tmp_path / "as.png"
    code = [
        "import sys\nsys.path.insert(0, %r)" % str(PYTHON_CLIENT / "src"),
        client,
        client,
        client,
        SERVERS_OF_THIS_KERNEL,
        table,
        wide,
        long,
        CHECK_FRAMES,
        plot,
        "ax.figure.savefig(%r)" % str(png),
        progress,
        subscription,
        "print('SERVERS', radar_servers())",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in code])
    messages = execute(notebook, tmp_path)
    cells = notebook.cells

    def text(index: int) -> str:
        return "".join(o.get("text", "") for o in cells[index].outputs if o.get("output_type") == "stream")

    def html(index: int) -> List[str]:
        return [o["data"]["text/html"] for o in cells[index].outputs if "text/html" in o.get("data", {})]

    # One server for three runs of the client cell.
    kernel, server = map(int, re.findall(r"KERNEL (\d+) SERVER (\d+)", text(4))[0])
    # The result is a small table; the wide frame is a DataFrame's table; the chart a PNG.
    assert any("<table" in h and "ONE_HOUR, PERCENTAGE, bytes" in h for h in html(5))
    assert html(6) and "[{'name': '*', 'value': 'bytes'}]" in text(6)
    assert any("image/png" in o.get("data", {}) for o in cells[9].outputs)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The progress display: one output, shown at begin and replaced in place at end.
    progress_messages = messages[11]
    assert [m["type"] for m in progress_messages][:1] == ["display_data"]
    assert all(m["type"] == "update_display_data" for m in progress_messages[1:]) and len(progress_messages) >= 2
    assert len({m["id"] for m in progress_messages}) == 1
    assert len(html(11)) == 1 and "done in" in html(11)[0]
    # The subscription: one output, replaced in place by the second and the third update, each a new result.
    updates = messages[12]
    assert [m["type"] for m in updates] == ["display_data", "update_display_data", "update_display_data"]
    assert len({m["id"] for m in updates}) == 1
    shown = [m["data"]["text/html"] for m in updates]
    assert ["update %d at" % n in h for n, h in enumerate(shown, 1)] == [True, True, True]
    newest = [re.search(r"<div>newest (.*?)</div>", h).group(1) for h in shown]  # type: ignore[union-attr]
    assert len(set(newest)) == 3, "each update brings a changed result (the demo's current bucket moves)"
    assert len(html(12)) == 1 and "update 3 at" in html(12)[0]
    assert "SERVERS [%d]" % server in text(13)

    # The kernel has shut down (nbclient ends it): it closed the shared client, no server is left.
    def gone(pid: int) -> bool:  # exited and reaped: not even a zombie is left
        return not os.path.exists("/proc/%d" % pid)

    wait_until(lambda: gone(kernel))
    assert gone(server), "the kernel exited without stopping its radar-rpc server"
