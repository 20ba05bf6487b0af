"""Cancellation reaches the server: a timeout, Ctrl-C (KeyboardInterrupt), a cancelled future,
and a cancelled asyncio task each send ``$/cancelRequest``; the server stops the upstream wait
(the demo's simulated latency) at once, answers -32800, and goes on serving."""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import Iterator, List

import pytest

import radar_rpc
from radar_rpc import AsyncRadarClient, RadarClient
from support import WAIT, async_stats, wait_until, wait_until_async

SLOW_MS = 10_000  # far longer than any test waits: only a cancellation ends such a call in time
SLOW_ARGS = ["--demo-latency", str(SLOW_MS), "--cache-ttl", "0"]


@pytest.fixture
def slow(radar_bin: str) -> Iterator[RadarClient]:
    with RadarClient(radar_bin, demo=True, args=SLOW_ARGS) as client:
        yield client


def nothing_in_flight(client: RadarClient) -> bool:
    stats = client.stats()
    return stats["upstream"]["inFlight"] == 0 and stats["inFlight"] <= 1  # the stats call itself


def test_timeout_cancels_on_the_server(slow: RadarClient) -> None:
    with pytest.raises(radar_rpc.RequestTimeout) as caught:
        slow.netflows_timeseries_groups("PRODUCT", date_range="1d", timeout=0.3)
    error = caught.value
    assert error.acknowledged, "the server did not answer -32800 to $/cancelRequest"
    assert isinstance(error, radar_rpc.Cancelled) and isinstance(error, TimeoutError) and error.timeout == 0.3
    assert "0.3s" in str(error)
    wait_until(lambda: nothing_in_flight(slow))
    assert slow.stats()["upstream"]["requests"] == 1


def test_client_default_timeout(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True, args=SLOW_ARGS, timeout=0.2) as client:
        with pytest.raises(radar_rpc.RequestTimeout):
            client.ct_timeseries_groups("CA", date_range="1d")
        assert client.stats(timeout=5)["inFlight"] <= 1


def test_cancelling_a_future_cancels_on_the_server(slow: RadarClient) -> None:
    future = slow.submit("radar.netflows.timeseriesGroups", {"dimension": "AS", "dateRange": "1d"})
    wait_until(lambda: slow.stats()["upstream"]["inFlight"] == 1)
    assert future.cancel() and future.cancelled()
    wait_until(lambda: nothing_in_flight(slow))
    assert not future.cancel() or future.cancelled()


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_keyboard_interrupt_cancels_on_the_server(slow: RadarClient) -> None:
    assert threading.current_thread() is threading.main_thread()
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))  # Ctrl-C while the call waits
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            slow.netflows_timeseries_groups("PRODUCT", date_range="1d")
    finally:
        timer.join()
    wait_until(lambda: nothing_in_flight(slow))
    assert slow.call("server.stats")["upstream"]["requests"] == 1  # still serving


def test_a_call_given_up_still_ends_its_progress(slow: RadarClient) -> None:
    progress: List[radar_rpc.Progress] = []
    began = threading.Event()

    def on_progress(event: radar_rpc.Progress) -> None:
        progress.append(event)
        if event.kind == "begin":
            began.set()

    future = slow.submit("radar.netflows.timeseriesGroups", {"dimension": "AS", "dateRange": "1d"}, on_progress=on_progress)
    assert began.wait(WAIT)
    assert future.cancel()
    # begin has its end by the time cancel() returns, and the server's own end is not passed on.
    assert [(p.kind, p.message) for p in progress] == [("begin", None), ("end", "cancelled")]
    wait_until(lambda: nothing_in_flight(slow))
    assert len(progress) == 2


def test_an_async_call_given_up_still_ends_its_progress(radar_bin: str) -> None:
    async def main() -> List[str]:
        kinds: List[str] = []
        began = asyncio.Event()

        def on_progress(event: radar_rpc.Progress) -> None:
            kinds.append("%s:%s" % (event.kind, event.message))
            if event.kind == "begin":
                began.set()

        async with AsyncRadarClient(radar_bin, demo=True, args=SLOW_ARGS) as client:
            task = asyncio.ensure_future(
                client.netflows_timeseries_groups("PRODUCT", date_range="1d", on_progress=on_progress)
            )
            await asyncio.wait_for(began.wait(), WAIT)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 0))
        return kinds

    assert asyncio.run(main()) == ["begin:None", "end:cancelled"]


def test_async_task_cancel_cancels_on_the_server(radar_bin: str) -> None:
    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True, args=SLOW_ARGS) as client:
            task = asyncio.ensure_future(client.netflows_timeseries_groups("PRODUCT", date_range="1d"))
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 1))
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # the server stops the cancelled call's work
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 0 and s["inFlight"] <= 1))
            # wait_for cancels too, and the client goes on
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.ct_timeseries_groups("CA", date_range="1d"), 0.2)
            assert (await client.call("server.stats"))["upstream"]["requests"] == 2

    asyncio.run(main())


def test_async_timeout_is_acknowledged(radar_bin: str) -> None:
    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True, args=SLOW_ARGS) as client:
            with pytest.raises(radar_rpc.RequestTimeout) as caught:
                await client.netflows_timeseries_groups("PRODUCT", date_range="1d", timeout=0.2)
            assert caught.value.acknowledged
            # the server stops the upstream wait (its bookkeeping may trail the -32800 answer)
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 0))

    asyncio.run(main())
