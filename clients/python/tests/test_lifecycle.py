"""Starting and stopping: the binary lookup and its error, clean shutdown (exit code 0, process
reaped, pipes closed, no file descriptor or ResourceWarning left), garbage collection and
interpreter exit without close(), a server that dies under a call, stderr to a file."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any, Iterator, List

import pytest

import radar_rpc
from radar_rpc import AsyncRadarClient, RadarClient, _process
from support import PYTHON_CLIENT, REPO, WAIT, async_stats, is_reaped, open_fds, wait_until, wait_until_async


@pytest.fixture
def strict_warnings() -> Iterator[List[warnings.WarningMessage]]:
    """Records every warning (ResourceWarnings from __del__ included) and fails on any."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
        gc.collect()
    assert [str(w.message) for w in caught] == []


def test_close_is_clean(radar_bin: str, strict_warnings: Any) -> None:
    before = open_fds()
    with RadarClient(radar_bin, demo=True) as client:
        client.netflows_timeseries_groups("PRODUCT", date_range="1d")
        pid = client.pid
        process = client._connection.process
    assert client.closed and client.returncode == 0  # shutdown + exit: exit code 0, not a signal
    assert is_reaped(pid)
    assert process.stdin is not None and process.stdin.closed and process.stdout is not None and process.stdout.closed
    assert not client._connection._reader.is_alive()
    client.close()  # idempotent
    del client, process
    gc.collect()
    assert open_fds() == before


def test_async_close_is_clean(radar_bin: str, strict_warnings: Any) -> None:
    before = open_fds()

    async def main() -> int:
        async with AsyncRadarClient(radar_bin, demo=True) as client:
            await client.netflows_timeseries_groups("PRODUCT", date_range="1d")
            pid = client.pid
        assert client.closed and client.returncode == 0
        await client.aclose()  # idempotent
        return pid

    pid = asyncio.run(main())
    gc.collect()
    assert is_reaped(pid) and open_fds() == before


def test_closing_fails_calls_in_flight_and_the_server_exits_cleanly(radar_bin: str) -> None:
    # A call 60 s from done: close() cancels it, sends shutdown and exit, and the server exits
    # by itself with code 0 (no SIGTERM, no SIGKILL): the contract's lifecycle, not a signal.
    client = RadarClient(radar_bin, demo=True, args=["--demo-latency", "60000"])
    future = client.submit("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "1d"})
    wait_until(lambda: client.stats()["upstream"]["inFlight"] == 1)
    client.close()
    assert client.returncode == 0
    with pytest.raises(radar_rpc.ConnectionLost, match="client was closed"):
        future.result(WAIT)
    with pytest.raises(radar_rpc.ConnectionLost):
        client.stats()


def test_async_closing_fails_calls_in_flight_and_the_server_exits_cleanly(radar_bin: str) -> None:
    async def main() -> None:
        client = await AsyncRadarClient(radar_bin, demo=True, args=["--demo-latency", "60000"]).start()
        call = asyncio.ensure_future(client.ct_timeseries_groups("CA", date_range="1d"))
        await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 1))
        await client.aclose()
        assert client.returncode == 0
        with pytest.raises(radar_rpc.ConnectionLost, match="client was closed"):
            await call

    asyncio.run(main())


@pytest.mark.parametrize("signal_number, name", [(signal.SIGKILL, "SIGKILL"), (signal.SIGUSR2, "SIGUSR2")])
def test_a_killed_server_is_reported_by_its_signal(radar_bin: str, signal_number: int, name: str) -> None:
    with RadarClient(radar_bin, demo=True, args=["--demo-latency", "60000"]) as client:
        future = client.submit("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "1d"})
        os.kill(client.pid, signal_number)
        with pytest.raises(radar_rpc.ConnectionLost) as caught:
            future.result(WAIT)
    error = caught.value
    assert error.returncode == -signal_number and error.signal == name
    assert str(error) == "radar-rpc (pid %d) was killed by signal %d (%s)" % (client.pid, signal_number, name)
    assert error.stderr is None and "standard error" not in str(error)  # inherited: nothing captured, nothing said


def test_a_lost_connection_quotes_the_captured_standard_error(radar_bin: str, tmp_path: Path) -> None:
    log = tmp_path / "radar-rpc.log"
    log.write_text("an older server's line\n")
    client = RadarClient(radar_bin, base_url="http://example.com/client/v4", stderr=log)
    with pytest.raises(radar_rpc.ConnectionLost) as caught:
        client.stats()
    client.close()
    error = caught.value
    assert error.returncode == 2 and error.signal is None
    assert error.stderr and "example.com" in error.stderr and "older server" not in error.stderr
    assert str(error).startswith("radar-rpc (pid %d) exited with code 2; the last lines of its standard error:\n  " % client.pid)


def test_garbage_collection_stops_the_server(radar_bin: str, strict_warnings: Any) -> None:
    before = open_fds()
    client = RadarClient(radar_bin, demo=True)
    pid, process = client.pid, client._connection.process
    client.stats()
    del client
    gc.collect()  # the finalizer closes on a thread of its own (it may run inside any code)
    wait_until(lambda: process.returncode is not None)  # set once the client has reaped it
    assert process.returncode == 0 and is_reaped(pid)  # the clean way: shutdown and exit
    wait_until(lambda: open_fds() == before)


def test_garbage_collection_stops_an_async_server(radar_bin: str, strict_warnings: Any) -> None:
    async def main() -> int:
        client = await AsyncRadarClient(radar_bin, demo=True).start()
        pid, connection = client.pid, client._connection
        await client.stats()
        del client
        gc.collect()  # the finalizer starts aclose() as a task on this loop
        assert connection is not None
        # Wait for asyncio to report the exit (polling waitpid here would race its child watcher).
        await asyncio.wait_for(asyncio.shield(connection.finished), WAIT)
        assert connection.transport is not None
        assert connection.transport.get_returncode() == 0  # the clean way: shutdown and exit
        return pid

    assert is_reaped(asyncio.run(main()))


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_interpreter_exit_stops_the_server(radar_bin: str, flavour: str) -> None:
    body = {
        "sync": "client = radar_rpc.RadarClient(demo=True)\nclient.stats()\nprint(client.pid, flush=True)\n",
        "async": textwrap.dedent("""\
            import asyncio
            async def main():
                client = await radar_rpc.AsyncRadarClient(demo=True).start()
                await client.stats()
                print(client.pid, flush=True)
                globals()["kept"] = client  # still referenced when the interpreter exits
            asyncio.run(main())
            """),
    }[flavour]
    script = "import sys\nsys.path.insert(0, %r)\nimport radar_rpc\n%s" % (str(PYTHON_CLIENT / "src"), body)
    env = dict(os.environ, RADAR_RPC_BIN=radar_bin)
    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", script],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[0])

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_until(gone)
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr


def test_a_server_that_refuses_to_start_explains_on_the_first_call(radar_bin: str) -> None:
    with RadarClient(radar_bin, base_url="http://example.com/client/v4", stderr=subprocess.DEVNULL) as client:
        with pytest.raises(radar_rpc.ConnectionLost) as caught:
            client.stats()
        assert caught.value.returncode == 2  # a clear-text URL to a non-loopback host is refused


def test_a_server_that_dies_fails_calls_with_connection_lost(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True, args=["--demo-latency", "10000"]) as client:
        future = client.submit("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "1d"})
        client._connection.process.kill()
        with pytest.raises(radar_rpc.ConnectionLost) as caught:
            future.result(WAIT)
        assert caught.value.returncode == -9 and "killed by signal 9 (SIGKILL)" in str(caught.value)
        with pytest.raises(radar_rpc.ConnectionLost):
            client.stats()


def test_an_async_server_that_dies_is_reported_by_its_signal(radar_bin: str) -> None:
    async def main() -> None:
        async with AsyncRadarClient(radar_bin, demo=True, args=["--demo-latency", "10000"]) as client:
            call = asyncio.ensure_future(client.ct_timeseries_groups("CA", date_range="1d"))
            await wait_until_async(async_stats(client, lambda s: s["upstream"]["inFlight"] == 1))
            os.kill(client.pid, signal.SIGKILL)
            with pytest.raises(radar_rpc.ConnectionLost) as caught:
                await call
            assert caught.value.signal == "SIGKILL"
            assert str(caught.value) == "radar-rpc (pid %d) was killed by signal 9 (SIGKILL)" % client.pid

    asyncio.run(main())


def test_server_log_goes_to_a_file(radar_bin: str, tmp_path: Path, strict_warnings: Any) -> None:
    log = tmp_path / "radar-rpc.log"
    with RadarClient(radar_bin, demo=True, stderr=log, log_level="debug") as client:
        client.stats()
    assert log.stat().st_size > 0
    with RadarClient(radar_bin, demo=True, stderr=subprocess.DEVNULL) as client:
        client.stats()


def test_binary_given_and_not_usable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(radar_rpc.BinaryNotFound) as caught:
        RadarClient(tmp_path / "nope", demo=True)
    assert isinstance(caught.value, FileNotFoundError)
    assert caught.value.tried == ["the binary argument: %s does not exist" % (tmp_path / "nope")]
    not_executable = tmp_path / "radar-rpc"
    not_executable.write_text("#!/bin/sh\n")
    monkeypatch.setenv("RADAR_RPC_BIN", str(not_executable))
    with pytest.raises(radar_rpc.BinaryNotFound, match="is not executable"):
        radar_rpc.find_binary()
    with pytest.raises(radar_rpc.BinaryNotFound, match=r"\$RADAR_RPC_BIN"):
        asyncio.run(AsyncRadarClient(demo=True).start())


def test_binary_not_found_lists_every_place_tried(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RADAR_RPC_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_process, "_repository_root", lambda start: tmp_path)  # a checkout with no build
    monkeypatch.setattr(_process, "BUNDLED_BINARY", tmp_path / "bin" / "radar-rpc")  # a package without one
    with pytest.raises(radar_rpc.BinaryNotFound) as caught:
        radar_rpc.find_binary()
    assert caught.value.tried == [
        "$RADAR_RPC_BIN: not set",
        "the binary bundled in the package, %s: does not exist" % (tmp_path / "bin" / "radar-rpc"),
        "%s: does not exist" % (tmp_path / ".build" / "release" / "radar-rpc"),
        "%s: does not exist" % (tmp_path / ".build" / "debug" / "radar-rpc"),
        "radar-rpc on PATH: not found",
    ]
    text = str(caught.value)
    assert "swift build" in text and all("\n  - " + line in text for line in caught.value.tried)


def test_a_bundled_binary_comes_before_the_repository_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = tmp_path / "bin" / "radar-rpc"  # where a wheel built by setup.py has it
    bundled.parent.mkdir()
    bundled.write_bytes(Path(radar_rpc.find_binary()).read_bytes())
    bundled.chmod(0o755)
    monkeypatch.setattr(_process, "BUNDLED_BINARY", bundled)
    monkeypatch.setattr(_process, "_repository_root", lambda start: REPO)
    monkeypatch.delenv("RADAR_RPC_BIN", raising=False)
    assert radar_rpc.find_binary() == str(bundled)
    monkeypatch.setenv("RADAR_RPC_BIN", "/nonexistent/radar-rpc")  # an explicit choice still wins
    with pytest.raises(radar_rpc.BinaryNotFound):
        radar_rpc.find_binary()


def test_without_the_variable_the_repository_build_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = [REPO / ".build" / c / "radar-rpc" for c in ("release", "debug")]
    if not any(b.is_file() for b in builds):
        pytest.skip("no radar-rpc in .build (run swift build)")
    monkeypatch.delenv("RADAR_RPC_BIN", raising=False)
    monkeypatch.setenv("PATH", "")
    found = Path(radar_rpc.find_binary())
    assert found in builds
    assert found.stat().st_mtime == max(b.stat().st_mtime for b in builds if b.is_file())
    with RadarClient(demo=True) as client:
        assert client.stats()["backend"] == "demo"
