"""RadarClient against the real binary: every wrapper (demo and live path), raw calls, the
handshake, concurrency, params conversion, and callbacks."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import pytest

import radar_rpc
from radar_rpc import CsvResult, RadarClient
from support import DOCUMENT_PATH, WAIT, WRAPPER_CALLS, check_result, wait_until


@pytest.mark.parametrize("backend", ["demo", "live"])
@pytest.mark.parametrize("method, dimension, params", WRAPPER_CALLS)
def test_every_wrapper(request: Any, backend: str, method: str, dimension: str, params: Dict[str, Any]) -> None:
    client: RadarClient = request.getfixturevalue(backend)
    result = getattr(client, method)(dimension, date_range="7d", agg_interval="1d", **params)
    check_result(result, params.get("name", ["serie_0"]))
    if backend == "live":  # the fake upstream saw exactly the request the wrapper described
        last = request.getfixturevalue("upstream").control("counters")["lastRequest"]
        assert dimension in last["path"] and "dateRange=7d" in last["query"] and "aggInterval=1d" in last["query"]


def test_csv_result(demo: RadarClient) -> None:
    result = demo.ct_timeseries_groups("ENTRY_TYPE", date_range="1d", agg_interval="1h", format="CSV")
    assert isinstance(result, CsvResult)
    rows = result.rows()
    assert len(rows) == 24 and set(rows[0]) == {"Serie_0 timestamps", "Serie_0 CERTIFICATE", "Serie_0 PRECERTIFICATE"}


def test_initialize_stats_and_discover(demo: RadarClient) -> None:
    info = demo.initialize()
    assert info["backend"] == "demo" and info["serverInfo"]["name"] == "radar-rpc"
    assert set(radar_rpc.RADAR_METHODS[n][0] for n in radar_rpc.RADAR_METHODS) <= set(info["capabilities"]["methods"])
    assert demo.server_info == info
    assert demo.discover() == json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    demo.netflows_timeseries_groups("AS", date_range="1d")
    stats = demo.stats()
    assert stats["upstream"]["requests"] == 1 and stats["subscriptions"] == 0


def test_call_returns_raw_json_and_converts_dates(demo: RadarClient) -> None:
    end = datetime(2026, 1, 8, 2, 0, tzinfo=timezone(timedelta(hours=2)))  # 00:00 UTC
    raw = demo.call(
        "radar.netflows.timeseriesGroups",
        {"dimension": "PRODUCT", "dateStart": end - timedelta(days=2), "dateEnd": end, "aggInterval": "1d"},
    )
    assert raw["meta"]["dateRange"] == [{"startTime": "2026-01-06T00:00:00Z", "endTime": "2026-01-08T00:00:00Z"}]
    assert raw["serie_0"]["HTTP"][0].replace(".", "").isdigit()  # values stay strings in raw results
    result = radar_rpc.result_from_json(raw)
    assert result["serie_0"].timestamps[0] == datetime(2026, 1, 6, tzinfo=timezone.utc)


def test_non_ascii_series_names_round_trip(demo: RadarClient) -> None:
    names = ["Zürich ☃", "東京 🚀"]
    result = demo.netflows_timeseries_groups("PRODUCT", date_range=["1d", "1d"], name=names, agg_interval="1h")
    assert list(result.series) == names


def test_series_form_is_the_flat_form(demo: RadarClient) -> None:
    flat = demo.netflows_timeseries_groups(
        "LOCATION", date_range=["7d", "7d"], name=["us", "pt"], location=["US", "PT"]
    )
    grouped = demo.netflows_timeseries_groups(
        "LOCATION", date_range="7d", series=[{"name": "us", "location": "US"}, {"name": "pt", "location": "PT"}]
    )
    assert grouped.raw == flat.raw


def test_100_calls_in_flight_from_threads_and_futures(radar_bin: str) -> None:
    # The calls are all in flight at once (the server holds them all: the client never waits
    # for one answer before sending the next), and every answer reaches its own caller. How
    # much faster that is than one after another is measured by bench/clients.py, not here.
    args = ["--demo-latency", "60000", "--max-connections", "256", "--cache-ttl", "0"]
    with RadarClient(radar_bin, demo=True, args=args) as client:
        slow = [
            client.submit("radar.netflows.timeseriesGroups", {"dimension": "AS", "dateRange": "1d", "name": "s%d" % i})
            for i in range(100)
        ]
        wait_until(lambda: client.stats()["upstream"]["inFlight"] == 100)
        assert all(f.cancel() for f in slow)
    args = ["--demo-latency", "1", "--max-connections", "256", "--cache-ttl", "0"]
    with RadarClient(radar_bin, demo=True, args=args) as client:
        futures = [
            client.submit(
                "radar.netflows.timeseriesGroups", {"dimension": "PRODUCT", "dateRange": "1d", "name": "f%d" % i}
            )
            for i in range(100)
        ]
        with ThreadPoolExecutor(100) as pool:
            results = list(
                pool.map(lambda i: client.netflows_timeseries_groups("AS", date_range="1d", name="t%d" % i), range(100))
            )
        raws = [f.result(WAIT) for f in futures]
        # Every answer reached its own caller (the series is named after the call).
        assert [list(r.series) for r in results] == [["t%d" % i] for i in range(100)]
        assert [list(r)[1] for r in raws] == ["f%d" % i for i in range(100)]
        assert client.stats()["upstream"]["requests"] == 200
def test_progress_and_partial_results(demo: RadarClient) -> None:
    progress: List[radar_rpc.Progress] = []
    partial: List[str] = []
    result = demo.netflows_timeseries_groups(
        "PRODUCT",
        date_range=["1d", "1d", "1d"],
        name=["a", "b", "c"],
        on_progress=progress.append,
        on_partial=lambda name, series: partial.append(name),
    )
    assert [p.kind for p in progress] == ["begin", "end"] and progress[0].title
    assert partial == ["a", "b", "c"]
    # The response held meta alone: the client put the series back, in order.
    assert list(result.series) == ["a", "b", "c"]
    whole = demo.netflows_timeseries_groups("PRODUCT", date_range=["1d", "1d", "1d"], name=["a", "b", "c"])
    assert result.raw == whole.raw


def test_a_callback_error_fails_its_call_and_nothing_else(demo: RadarClient) -> None:
    def broken(progress: radar_rpc.Progress) -> None:
        raise ValueError("callback broke")

    with pytest.raises(ValueError, match="callback broke"):
        demo.netflows_timeseries_groups("PRODUCT", date_range="1d", on_progress=broken)
    assert demo.netflows_timeseries_groups("PRODUCT", date_range="1d").series


def test_a_callback_may_not_wait_for_another_call(demo: RadarClient) -> None:
    def nested(progress: radar_rpc.Progress) -> None:
        demo.stats()

    with pytest.raises(RuntimeError, match="reader thread"):
        demo.netflows_timeseries_groups("PRODUCT", date_range="1d", on_progress=nested)


def test_naive_datetimes_are_refused_before_sending(demo: RadarClient) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        demo.netflows_timeseries_groups("PRODUCT", date_start=datetime(2026, 1, 1), date_end=datetime(2026, 1, 2))


def test_a_fast_call_is_not_held_back_by_a_slow_one(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True, args=["--demo-latency", "5000"]) as client:
        slow = client.submit("radar.netflows.timeseriesGroups", {"dimension": "AS", "dateRange": "2d"})
        fast = client.stats()
        assert not slow.done() and fast["inFlight"] >= 1
        assert slow.cancel()
