"""Streaming: work-done progress (with a retry report from a real 429), and subscriptions as
iterators (sync and async): the first update at once, updates on change and on failed polls,
and every way of letting go (close, with-block, break and garbage collection) unsubscribes."""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any, Dict, List

import pytest

import radar_rpc
from radar_rpc import AsyncRadarClient, RadarClient
from support import WAIT, FakeCloudflare, async_stats, wait_until, wait_until_async

CA_1D = {"dimension": "CA", "dateRange": "1d"}


def subscriptions(client: RadarClient) -> int:
    return int(client.stats()["subscriptions"])


def test_progress_reports_a_retry(radar_bin: str, upstream: FakeCloudflare, live_args: Dict[str, Any]) -> None:
    live_args = dict(live_args, args=["--retries", "1", "--cache-ttl", "0"])
    upstream.script({"kind": "status", "status": 429, "retryAfter": "1"})
    progress: List[radar_rpc.Progress] = []
    with RadarClient(radar_bin, **live_args) as client:
        result = client.ct_timeseries_groups("CA", date_range="1d", on_progress=progress.append)
    assert result.series
    assert [p.kind for p in progress] == ["begin", "report", "end"]
    assert progress[1].message and "429" in progress[1].message


def test_the_first_update_comes_at_once(live: RadarClient, upstream: FakeCloudflare) -> None:
    with live.subscribe("ct_timeseries_groups", dimension="CA", date_range="1d", interval_seconds=3600) as updates:
        first = updates.next(timeout=60)  # long before the hour a poll would wait
        assert first.ok and isinstance(first.unwrap(), radar_rpc.RadarResult)


def test_subscription_updates_on_change_and_on_failed_polls(live: RadarClient, upstream: FakeCloudflare) -> None:
    with live.subscribe("ct_timeseries_groups", dimension="CA", date_range="1d", interval_seconds=1) as updates:
        first = updates.next(timeout=WAIT)
        assert first.ok and first.subscription == updates.id
        assert isinstance(first.unwrap(), radar_rpc.RadarResult)
        upstream.control("version", {})  # Cloudflare's data changes
        changed = updates.next(timeout=WAIT)
        assert changed.ok and changed.unwrap().raw != first.unwrap().raw
        upstream.script({"kind": "status", "status": 500, "times": -1})
        failed = updates.next(timeout=WAIT)
        assert not failed.ok and isinstance(failed.error, radar_rpc.UpstreamError) and failed.error.http_status == 500
        with pytest.raises(radar_rpc.UpstreamError):
            failed.unwrap()
        assert subscriptions(live) == 1
    assert subscriptions(live) == 0
    with pytest.raises(StopIteration):
        next(updates)


def test_a_demo_subscription_moves_with_the_clock(demo: RadarClient) -> None:
    # The demo's current bucket is still filling and changes every second (protocol/demo.md):
    # each poll of a one-second subscription brings a changed result, and only that bucket changed.
    with demo.subscribe("netflows_timeseries_groups", dimension="PRODUCT", date_range="1d", interval_seconds=1) as updates:
        results = [updates.next(timeout=WAIT).unwrap() for _ in range(3)]
    raws = [r.raw for r in results]
    assert raws[0] != raws[1] != raws[2]
    first, second = results[0]["serie_0"], results[1]["serie_0"]
    if first.timestamps == second.timestamps:  # not across a 15-minute boundary
        assert {g: v[:-1] for g, v in first.groups.items()} == {g: v[:-1] for g, v in second.groups.items()}


def test_subscription_close_and_next_timeout(demo: RadarClient) -> None:
    subscription = demo.subscribe("radar.ct.timeseriesGroups", CA_1D, interval_seconds=3600)
    assert subscription.next(timeout=WAIT).ok
    with pytest.raises(TimeoutError):
        subscription.next(timeout=0.1)  # nothing changes within the hour
    assert subscriptions(demo) == 1
    subscription.close()
    subscription.close()  # idempotent
    assert subscriptions(demo) == 0
    assert list(subscription) == []


def test_break_and_garbage_collection_unsubscribe(demo: RadarClient) -> None:
    for update in demo.subscribe("radar.ct.timeseriesGroups", CA_1D):
        assert update.ok
        break
    gc.collect()
    wait_until(lambda: subscriptions(demo) == 0)


def test_iteration_ends_when_the_client_closes(radar_bin: str) -> None:
    client = RadarClient(radar_bin, demo=True)
    seen: List[Any] = []
    subscription = client.subscribe("radar.ct.timeseriesGroups", CA_1D)
    reader = threading.Thread(target=lambda: seen.extend(subscription))
    reader.start()
    wait_until(lambda: seen)
    client.close()
    reader.join(5)
    assert not reader.is_alive() and len(seen) == 1


def test_iteration_raises_when_the_server_dies(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True) as client:
        subscription = client.subscribe("radar.ct.timeseriesGroups", CA_1D)
        assert subscription.next(timeout=WAIT).ok
        client._connection.process.kill()
        with pytest.raises(radar_rpc.ConnectionLost):
            subscription.next(timeout=WAIT)


def test_async_subscription(radar_bin: str) -> None:
    async def count(client: AsyncRadarClient) -> int:
        return int((await client.stats())["subscriptions"])

    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            async with client.subscribe("netflows_timeseries_groups", dimension="PRODUCT", date_range="1d") as updates:
                first = await updates.next(timeout=WAIT)
                assert first.ok and isinstance(first.result, radar_rpc.RadarResult)
                with pytest.raises(TimeoutError):
                    await updates.next(timeout=0.1)
                assert await count(client) == 1
            assert await count(client) == 0

            subscription = await client.subscribe("radar.ct.timeseriesGroups", CA_1D)
            async for update in subscription:
                assert update.ok
                break
            await subscription.aclose()
            assert await count(client) == 0

            async for update in await client.subscribe("radar.ct.timeseriesGroups", CA_1D):
                break
            del update
            gc.collect()
            await wait_until_async(async_stats(client, lambda s: s["subscriptions"] == 0))  # unsubscribed

            with pytest.raises(radar_rpc.InvalidParams) as caught:
                await client.subscribe("radar.ct.timeseriesGroups", {"dimension": "CA", "aggInterval": "2h"})
            assert caught.value.errors[0].path == "/params/aggInterval"

    asyncio.run(main())
