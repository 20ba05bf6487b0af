"""Helpers for the tests: the fake Cloudflare API process, polling, and leak checks."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from datetime import timedelta
from typing import Any, Awaitable, Callable, Dict, List, Optional

PYTHON_CLIENT = Path(__file__).resolve().parents[1]
REPO = PYTHON_CLIENT.parents[1]
DOCUMENT_PATH = REPO / "protocol" / "openrpc.json"
FAKE_CLOUDFLARE = REPO / "Tests" / "Support" / "fake_cloudflare.py"
TOKEN = "test-token-not-secret"
WAIT = float(os.environ.get("RADAR_RPC_TEST_TIMEOUT", "30"))
"""How long a test waits for something that should happen (an update, an exit) before it fails:
generous, since it is only spent when the test fails (a loaded CI machine, ThreadSanitizer
builds); ``$RADAR_RPC_TEST_TIMEOUT`` overrides it. Tests never assert how fast things happen:
that is the benchmarks' job (bench/clients.py)."""
FAST = ["--retries", "0", "--cache-ttl", "0"]
"""Server options that keep error tests quick and deterministic: no retries, no cache."""


class FakeCloudflare:
    """The repository's fake Cloudflare API (Tests/Support/fake_cloudflare.py) on 127.0.0.1."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(FAKE_CLOUDFLARE), "--port", "0", "--token", TOKEN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        assert line.startswith("PORT "), "fake Cloudflare did not start: %r" % line
        self.port = int(line.split()[1])
        self.base_url = "http://127.0.0.1:%d/client/v4" % self.port

    def control(self, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        """POSTs ``body`` (or GETs when None) to the control API."""
        url = "http://127.0.0.1:%d/__control/%s" % (self.port, path)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read() or b"null")

    def script(self, *responses: Dict[str, Any], path: Optional[str] = None) -> None:
        """Faults for the next API requests (see the fake's docstring)."""
        body: Dict[str, Any] = {"responses": list(responses)}
        if path is not None:
            body["path"] = path
        self.control("script", body)

    def close(self) -> None:
        """Closing its stdin stops it; then the pipes are closed and the process reaped."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def wait_until(condition: Callable[[], Any], timeout: float = WAIT, interval: float = 0.02) -> Any:
    """Polls ``condition`` until it returns something true; fails the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within %gs" % timeout)
        time.sleep(interval)


async def wait_until_async(condition: Callable[[], Awaitable[Any]], timeout: float = WAIT, interval: float = 0.01) -> Any:
    """:func:`wait_until` for a coroutine condition, on the running loop."""
    deadline = time.monotonic() + timeout
    while True:
        value = await condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within %gs" % timeout)
        await asyncio.sleep(interval)


def async_stats(client: Any, check: Callable[[Dict[str, Any]], bool]) -> Callable[[], Awaitable[bool]]:
    """A :func:`wait_until_async` condition on an async client's ``server.stats``."""

    async def condition() -> bool:
        return check(await client.stats())

    return condition


def open_fds() -> List[str]:
    """This process's open file descriptors (Linux), to prove a client leaves none behind."""
    return sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else []


def is_reaped(pid: int) -> bool:
    """True when ``pid`` is no child of ours any more (exited and waited for: no zombie).

    Call it only once the client says the process has exited: polling it earlier would race
    the client's own wait (or asyncio's child watcher) and reap the process under it.
    """
    try:
        os.waitpid(pid, os.WNOHANG)  # reaps a zombie, but then the client had failed to
    except ChildProcessError:
        return True
    return False


# One call per wrapper, with a dimension of each and a filter of its own.
WRAPPER_CALLS = [
    ("ct_timeseries_groups", "CA", {"unique_entries": "true", "limit_per_group": 3}),
    ("leaked_credential_checks_timeseries_groups", "COMPROMISED", {"bot_class": "LIKELY_HUMAN"}),
    ("netflows_timeseries_groups", "PRODUCT", {"location": ["US", "PT"], "name": ["us", "pt"]}),
]


def check_result(result: Any, series_names: List[str]) -> None:
    """A daily 7-day result with these series: aware UTC timestamps, float values, one per timestamp."""
    from radar_rpc import RadarResult

    assert isinstance(result, RadarResult)
    assert list(result.series) == series_names
    assert result.meta["aggInterval"] == "ONE_DAY" and len(result.meta["dateRange"]) == len(series_names)
    for series in result.series.values():
        assert len(series.timestamps) == 7
        assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in series.timestamps)
        assert series.timestamps == sorted(series.timestamps)
        assert series.groups and all(
            len(v) == 7 and all(isinstance(x, float) for x in v) for v in series.groups.values()
        )
