"""Fixtures: the real radar-rpc binary (``$RADAR_RPC_BIN`` or the repository's build), clients
on it, and the repository's fake Cloudflare API for the live path.

The package is imported from ``src/`` without installing it, so ``python3 -m pytest
clients/python/tests`` works on a fresh clone after ``swift build``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import radar_rpc  # noqa: E402
from support import DOCUMENT_PATH, FAST, TOKEN, FakeCloudflare  # noqa: E402


@pytest.fixture(autouse=True)
def private_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every server a test starts inherits an ``XDG_CACHE_HOME`` of the test's own: the live
    backend's shared cache and rate budget never reach the user's ~/.cache, and a 429 one test
    provokes never holds back the next test's server."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def radar_bin() -> str:
    """The binary under test; the suite fails (not skips) without one: it exists to test against it."""
    return radar_rpc.find_binary()


@pytest.fixture(scope="session")
def document() -> Dict[str, Any]:
    """protocol/openrpc.json, the contract the wrappers are checked against."""
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def demo(radar_bin: str) -> Iterator[radar_rpc.RadarClient]:
    """A sync client on a demo server."""
    with radar_rpc.RadarClient(radar_bin, demo=True) as client:
        yield client


@pytest.fixture(scope="session")
def fake_cloudflare() -> Iterator[FakeCloudflare]:
    fake = FakeCloudflare()
    yield fake
    fake.close()


@pytest.fixture
def upstream(fake_cloudflare: FakeCloudflare) -> Iterator[FakeCloudflare]:
    """The fake Cloudflare API, reset before each test."""
    fake_cloudflare.control("reset", {})
    yield fake_cloudflare


@pytest.fixture
def live_args(upstream: FakeCloudflare) -> Dict[str, Any]:
    """Client arguments for a live-backend server on the fake API with a valid token."""
    return {
        "base_url": upstream.base_url,
        "args": FAST,
        "env": {"CLOUDFLARE_API_TOKEN": TOKEN, "CLOUDFLARE_EMAIL": None, "CLOUDFLARE_API_KEY": None},
    }


@pytest.fixture
def live(radar_bin: str, live_args: Dict[str, Any]) -> Iterator[radar_rpc.RadarClient]:
    """A sync client on a live-backend server talking to the fake API."""
    with radar_rpc.RadarClient(radar_bin, **live_args) as client:
        yield client
