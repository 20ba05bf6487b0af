"""protocol/other-clients.md: its recipes run against the real server, and each library's trap
that the page names is still there (so the page changes when a library fixes it).

The recipes are taken from the page's code blocks, so the page is what is tested. The libraries
are the pinned versions the page names (python-lsp-jsonrpc and pygls from PyPI, Neovim from
Debian); ``scripts/test`` installs them and sets ``RADAR_RPC_REQUIRE_RECIPES=1``, so there
nothing here skips. The vscode-jsonrpc recipe is not run (npm is not reachable here).

    RADAR_RPC_BIN=$(swift build --show-bin-path)/radar-rpc python3 -m pytest -q Tests/Recipes
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from importlib import metadata
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "protocol" / "other-clients.md"
PINNED = {"python-lsp-jsonrpc": "1.1.2", "pygls": "2.1.1"}
REQUIRED = os.environ.get("RADAR_RPC_REQUIRE_RECIPES") == "1"
TIMEOUT = float(os.environ.get("RADAR_RPC_TEST_TIMEOUT", "60"))
AS_PARAMS = {"dimension": "AS", "dateRange": "7d", "limitPerGroup": 3}


@pytest.fixture(scope="session")
def radar_bin() -> str:
    binary = os.environ.get("RADAR_RPC_BIN") or shutil.which("radar-rpc")
    if not binary:
        candidates = [REPO / ".build" / c / "radar-rpc" for c in ("debug", "release")]
        binary = str(max((c for c in candidates if c.exists()), key=lambda c: c.stat().st_mtime, default=""))
    assert binary, "no radar-rpc: run swift build, or set RADAR_RPC_BIN"
    return binary


def blocks(language: str) -> List[str]:
    return re.findall(r"^```%s\n(.*?)^```$" % language, PAGE.read_text(encoding="utf-8"), re.S | re.M)


def recipe(language: str, marker: str) -> str:
    found = [block for block in blocks(language) if marker in block]
    assert len(found) == 1, "one %s block of the page uses %s" % (language, marker)
    return found[0]


def library(name: str) -> None:
    """The pinned version of ``name`` is installed (else skip, or fail where it must run)."""
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        version = None
    if version != PINNED[name]:
        message = "%s==%s is needed (found %s): pip install %s==%s" % (name, PINNED[name], version, name, PINNED[name])
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)


def wire_groups(radar_bin: str) -> List[str]:
    """serie_0's group keys in the order of the server's own bytes (no JSON library in between)."""
    request = {"jsonrpc": "2.0", "id": 1, "method": "radar.netflows.timeseriesGroups", "params": AS_PARAMS}
    line = subprocess.run(
        [radar_bin, "--demo"], input=json.dumps(request) + "\n", capture_output=True, text=True, timeout=TIMEOUT
    ).stdout
    series = line[line.index('"serie_0"') :]
    return [key for key in re.findall(r'"([^"]+)":\[', series) if key != "timestamps"]


def run(argv: List[str], radar_bin: str, cwd: Path) -> str:
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, env=dict(os.environ, RADAR_RPC_BIN=radar_bin)
    )
    assert done.returncode == 0, "recipe failed (%d):\n%s\n%s" % (done.returncode, done.stdout, done.stderr)
    return done.stdout + done.stderr


def test_the_page_has_a_recipe_per_library() -> None:
    assert len(blocks("python")) == 2 and len(blocks("lua")) == 1 and len(blocks("ts")) == 1
    ts = recipe("ts", "vscode-jsonrpc")
    assert "sendRequest('shutdown')" in ts and "sendNotification('exit')" in ts


def test_python_lsp_jsonrpc_recipe(radar_bin: str, tmp_path: Path) -> None:
    library("python-lsp-jsonrpc")
    script = tmp_path / "recipe.py"
    script.write_text(recipe("python", "pylsp_jsonrpc"), encoding="utf-8")
    output = run([sys.executable, str(script)], radar_bin, tmp_path)
    assert "groups: %r" % wire_groups(radar_bin) in output  # a dict keeps the wire order
    assert "cancelled: -32800" in output and "still answering: True" in output
    assert "exit code: 0" in output


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the trap itself
def test_python_lsp_jsonrpc_trap_future_cancel_kills_the_reader(radar_bin: str) -> None:
    library("python-lsp-jsonrpc")
    from pylsp_jsonrpc.endpoint import Endpoint
    from pylsp_jsonrpc.streams import JsonRpcStreamReader, JsonRpcStreamWriter

    server = subprocess.Popen(
        [radar_bin, "--demo", "--demo-latency", "60000"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        endpoint = Endpoint({}, JsonRpcStreamWriter(server.stdin).write)
        reader = JsonRpcStreamReader(server.stdout)
        listening = threading.Thread(target=reader.listen, args=(endpoint.consume,), daemon=True)
        listening.start()
        assert "inFlight" in endpoint.request("server.stats").result(TIMEOUT)
        future = endpoint.request("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "28d"})
        assert future.cancel()  # sends $/cancelRequest; radar-rpc answers -32800 at once
        listening.join(TIMEOUT)
        assert not listening.is_alive(), "the reader survived: the trap is gone, update other-clients.md"
    finally:
        server.kill()
        server.wait()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.close()
        server.stdout.close()


def test_pygls_recipe(radar_bin: str, tmp_path: Path) -> None:
    library("pygls")
    script = tmp_path / "recipe.py"
    script.write_text(recipe("python", "pygls"), encoding="utf-8")
    output = run([sys.executable, str(script)], radar_bin, tmp_path)
    assert "groups: %r" % wire_groups(radar_bin) in output
    update = re.search(r"update groups: (\[.*\])", output)
    assert update and "other" in update.group(1) and not re.search(r"'_\d+'", update.group(1))
    assert "exit code: 0" in output


def test_pygls_trap_namedtuples_rename_group_keys(radar_bin: str) -> None:
    library("pygls")
    from pygls.protocol import default_converter, JsonRPCResponseMessage

    message = {"jsonrpc": "2.0", "id": 1, "result": {"serie_0": {"timestamps": [], "55836": [], "Let's Encrypt": []}}}
    result = default_converter().structure(message, JsonRPCResponseMessage).result
    assert result.serie_0._fields == ("timestamps", "_1", "_2"), "the trap is gone: update other-clients.md"


def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if REQUIRED:
            pytest.fail("nvim is not installed (apt-get install neovim; scripts/test does)")
        pytest.skip("nvim is not installed (apt-get install neovim)")
    return found


def test_neovim_recipe(radar_bin: str, tmp_path: Path) -> None:
    script = tmp_path / "radar.lua"
    script.write_text(recipe("lua", "vim.lsp.rpc"), encoding="utf-8")
    output = run([nvim(), "--headless", "-u", "NONE", "-c", "luafile %s" % script], radar_bin, tmp_path)
    assert "backend: demo" in output
    assert "groups: %s" % ", ".join(g for g in wire_groups(radar_bin) if g != "other") in output
    assert "exit code: 0" in output


def test_neovim_trap_an_empty_table_is_an_array_which_radar_rpc_refuses(radar_bin: str, tmp_path: Path) -> None:
    encoded = run(
        [nvim(), "--headless", "-u", "NONE", "-c", "lua io.stdout:write(vim.json.encode({}))", "-c", "qa!"],
        radar_bin,
        tmp_path,
    )
    assert encoded.strip() == "[]", "the trap is gone: update other-clients.md"
    request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": json.loads(encoded)}}
    answer = subprocess.run(
        [radar_bin, "--demo"], input=json.dumps(request) + "\n", capture_output=True, text=True, timeout=TIMEOUT
    ).stdout
    assert json.loads(answer)["error"]["code"] == -32602
