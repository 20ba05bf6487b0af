"""The notebook helpers outside a kernel: the shared client, callbacks in the caller's context,
and progress/watch writing text when there is no IPython display (the kernel itself is
exercised by test_notebook.py)."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any, List

import pytest

import radar_rpc
from radar_rpc import AsyncRadarClient, RadarClient
from radar_rpc.notebook import progress, watch, watch_async
from support import WAIT

cell: "contextvars.ContextVar[str]" = contextvars.ContextVar("cell", default="none")


def test_shared_gives_one_client_per_arguments_and_replaces_it_when_they_change(radar_bin: str) -> None:
    first = radar_rpc.shared(radar_bin, demo=True)
    try:
        assert radar_rpc.shared(radar_bin, demo=True) is first  # re-running the cell
        other = radar_rpc.shared(radar_bin, demo=True, args=["--cache-ttl", "0"])
        assert other is not first and first.closed and first.returncode == 0  # one server, never two
        other.close()
        again = radar_rpc.shared(radar_bin, demo=True, args=["--cache-ttl", "0"])
        assert again is not other and not again.closed  # a closed client is not handed out
        again._connection.process.kill()
        again._connection.process.wait(WAIT)
        replacement = radar_rpc.shared(radar_bin, demo=True, args=["--cache-ttl", "0"])
        assert replacement is not again and replacement.stats()["backend"] == "demo"  # nor a dead one
    finally:
        radar_rpc.shared(radar_bin, demo=True).close()


def test_sync_callbacks_run_in_the_callers_context(demo: RadarClient) -> None:
    seen: List[str] = []
    cell.set("cell 7")
    demo.netflows_timeseries_groups(
        "PRODUCT", date_range="1d", on_progress=lambda p: seen.append(cell.get()), on_partial=lambda n, s: seen.append(cell.get())
    )
    assert seen and set(seen) == {"cell 7"}  # on the reader thread, in the calling code's context


def test_async_callbacks_run_in_the_context_of_the_call_not_of_start(radar_bin: str) -> None:
    # In Jupyter the context says which cell's output a print belongs to: a client started in
    # one cell and called from another must print into the second (it printed into the first).
    seen: List[str] = []

    async def main() -> None:
        cell.set("cell 1")
        client = await AsyncRadarClient(radar_bin, demo=True).start()
        try:

            async def another_cell() -> None:
                cell.set("cell 2")
                await client.netflows_timeseries_groups(
                    "PRODUCT", date_range="1d", on_progress=lambda p: seen.append(cell.get())
                )

            await asyncio.create_task(another_cell())
        finally:
            await client.aclose()

    asyncio.run(main())
    assert seen and set(seen) == {"cell 2"}


def test_progress_and_watch_write_text_without_ipython(demo: RadarClient, capsys: Any) -> None:
    demo.netflows_timeseries_groups("PRODUCT", date_range="1d", on_progress=progress())
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("radar.netflows.timeseriesGroups") and "working" in lines[0]
    assert "done in" in lines[-1]
    with demo.subscribe("netflows_timeseries_groups", dimension="PRODUCT", date_range="1d", interval_seconds=1) as updates:
        assert watch(updates, updates=2) == 2
        assert updates._closed  # watch closes what it watched
    shown = capsys.readouterr().err.splitlines()
    assert [line.split(" at ")[0] for line in shown] == ["update 1", "update 2"]
    assert all("RadarResult(serie_0: 96 points × 2 groups" in line for line in shown)
    with pytest.raises(ValueError, match="show must be"):
        watch([], show="chart")


def test_watch_async_shows_updates_and_closes(radar_bin: str, capsys: Any) -> None:
    async def main() -> int:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            updates = await client.subscribe("netflows_timeseries_groups", dimension="PRODUCT", interval_seconds=1)
            shown = await watch_async(updates, updates=2)
            assert updates._closed and (await client.stats())["subscriptions"] == 0
            return shown

    assert asyncio.run(main()) == 2
    assert [line.split(" at ")[0] for line in capsys.readouterr().err.splitlines()] == ["update 1", "update 2"]


def test_watch_shows_a_chart_with_show_plot(demo: RadarClient) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from radar_rpc.notebook import _UpdateView

    result = demo.netflows_timeseries_groups("PRODUCT", date_range="1d")
    view = _UpdateView(radar_rpc.Update("sub-1", result=result), 2, "plot")
    png = view._repr_png_()
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n" and view._repr_html_() is None
    table = _UpdateView(radar_rpc.Update("sub-1", result=result), 2, "table")
    assert table._repr_png_() is None and "update 2 at" in (table._repr_html_() or "")
    failed = _UpdateView(radar_rpc.Update("sub-1", error=radar_rpc.Unavailable("unreachable")), 3, "plot")
    assert "poll failed" in (failed._repr_html_() or "") and failed._repr_png_() is None
