"""AsyncRadarClient against the real binary: every wrapper (demo and live path), 100 calls in
flight, progress and partial results, a result far above asyncio's 64 KiB line limit."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest

import radar_rpc
from radar_rpc import AsyncRadarClient, CsvResult, RadarResult
from support import WRAPPER_CALLS, async_stats, check_result, wait_until_async


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.mark.parametrize("backend", ["demo", "live"])
def test_every_wrapper(request: Any, radar_bin: str, backend: str) -> None:
    options: Dict[str, Any] = {"demo": True} if backend == "demo" else request.getfixturevalue("live_args")

    async def main() -> None:
        async with AsyncRadarClient(radar_bin, **options) as client:
            for method, dimension, params in WRAPPER_CALLS:
                result = await getattr(client, method)(dimension, date_range="7d", agg_interval="1d", **params)
                check_result(result, params.get("name", ["serie_0"]))
            csv = await client.ct_timeseries_groups("CA", date_range="1d", format="CSV")
            assert isinstance(csv, CsvResult) and csv.rows()

    run(main())


def test_100_calls_in_flight(radar_bin: str) -> None:
    # All in flight at once (the server holds them all), then every answer to its own caller;
    # the speed-up over one after another is measured by bench/clients.py.
    async def overlapping() -> None:
        args = ["--demo-latency", "60000", "--max-connections", "256", "--cache-ttl", "0"]
        async with AsyncRadarClient(radar_bin, demo=True, args=args) as client:
            calls = [
                asyncio.ensure_future(client.netflows_timeseries_groups("AS", date_range="1d", name="s%d" % i))
                for i in range(100)
            ]
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 100))
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)

    async def routed() -> None:
        args = ["--demo-latency", "1", "--max-connections", "256", "--cache-ttl", "0"]
        async with AsyncRadarClient(radar_bin, demo=True, args=args) as client:
            results = await asyncio.gather(
                *(client.netflows_timeseries_groups("AS", date_range="1d", name="c%d" % i) for i in range(100))
            )
            assert [list(r.series) for r in results] == [["c%d" % i] for i in range(100)]

    run(overlapping())
    run(routed())


def test_initialize_call_stats_discover(radar_bin: str, document: Dict[str, Any]) -> None:
    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            assert (await client.initialize())["backend"] == "demo"
            assert await client.discover() == document
            raw = await client.call(
                "radar.leakedCredentialChecks.timeseriesGroups", {"dimension": "BOT_CLASS", "dateRange": "1d"}
            )
            assert isinstance(radar_rpc.result_from_json(raw), RadarResult)
            assert (await client.stats())["upstream"]["requests"] == 1

    run(main())


def test_progress_and_partial_results(radar_bin: str) -> None:
    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            kinds: List[str] = []
            partial: List[str] = []
            result = await client.ct_timeseries_groups(
                "LOG_API",
                date_range=["1d", "1d"],
                name=["x", "y"],
                on_progress=lambda p: kinds.append(p.kind),
                on_partial=lambda n, s: partial.append(n),
            )
            assert kinds == ["begin", "end"] and partial == ["x", "y"] and list(result.series) == ["x", "y"]

    run(main())


def test_a_result_far_above_64_kib(radar_bin: str) -> None:
    names = ["series-%d" % i for i in range(8)]

    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            result = await client.ct_timeseries_groups("CA", date_range=["7d"] * 8, name=names, agg_interval="15m")
            assert len(json.dumps(result.raw)) > 512 * 1024  # one frame, no newline: 8× the limit
            assert list(result.series) == names and all(len(s.timestamps) == 672 for s in result.series.values())

    run(main())


def test_using_a_client_that_is_not_started_says_how() -> None:
    client = AsyncRadarClient(demo=True)
    with pytest.raises(RuntimeError, match="async with AsyncRadarClient"):
        run(client.stats())
    run(client.aclose())  # nothing to close
