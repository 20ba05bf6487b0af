"""The example runs as a user would run it, and the package stays Python 3.9 compatible."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import PYTHON_CLIENT

EXAMPLE = PYTHON_CLIENT / "examples" / "netflows_table.py"
PACKAGE = PYTHON_CLIENT / "src" / "radar_rpc"


def test_example_prints_a_table_and_charts_only_with_matplotlib(radar_bin: str, tmp_path: Path) -> None:
    env = dict(os.environ, RADAR_RPC_BIN=radar_bin, PYTHONPATH="")  # not installed: it finds ../src itself
    done = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLE), "--demo"],
        cwd=str(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "NetFlows by product, 7d (demo data):"
    assert lines[1].split() == ["date", "HTTP", "ALL"] and set(lines[2]) == {"-", " "}
    rows = [line.split() for line in lines[3:10]]
    assert len(rows) == 7 and all(abs(float(http) + float(other) - 100) < 0.02 for _, http, other in rows)
    has_matplotlib = importlib.util.find_spec("matplotlib") is not None
    assert (tmp_path / "netflows.png").exists() == has_matplotlib
    assert ("chart saved" in done.stdout) == has_matplotlib
    assert done.stderr == ""


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")) + [EXAMPLE], ids=lambda p: p.name)
def test_sources_parse_as_python_3_9(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 9))  # no match statements, no 3.10+ syntax
    annotated = any(
        isinstance(n, (ast.AnnAssign, ast.arg))
        and n.annotation is not None
        or isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        and n.returns is not None
        for n in ast.walk(tree)
    )
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in tree.body)
    assert future or not annotated, "annotations must stay unevaluated on 3.9 (X | Y, list[...])"
    for node in ast.walk(tree):  # runtime (non-annotation) uses of 3.10+ typing
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "dataclass":
            assert not any(k.arg in ("slots", "kw_only") for k in node.keywords)
        assert not (isinstance(node, ast.keyword) and node.arg == "strict"), "zip(strict=) is 3.10+"


def test_package_is_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()
