"""Helpers for the tests: the fake Cloudflare API process, polling, and leak checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

PYTHON_CLIENT = Path(__file__).resolve().parents[1]
REPO = PYTHON_CLIENT.parents[1]
DOCUMENT_PATH = REPO / "protocol" / "openrpc.json"
FAKE_CLOUDFLARE = REPO / "Tests" / "Support" / "fake_cloudflare.py"
TOKEN = "test-token-not-secret"
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


def wait_until(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Polls ``condition`` until it returns something true; fails the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within %gs" % timeout)
        time.sleep(interval)


def open_fds() -> List[str]:
    """This process's open file descriptors (Linux), to prove a client leaves none behind."""
    return sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else []


def is_reaped(pid: int) -> bool:
    """True when ``pid`` is no child of ours any more (exited and waited for: no zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)  # reaps a zombie, but then the client had failed to
    except ChildProcessError:
        return True
    return False
