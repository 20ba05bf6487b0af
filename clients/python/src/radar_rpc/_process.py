"""How to start the server: which binary, which arguments, which environment, where stderr goes.

Shared by both clients. The binary is, in order: the ``binary`` argument, ``$RADAR_RPC_BIN``
(both authoritative: a wrong value is an error, not a reason to look elsewhere), the one bundled
in this package (``radar_rpc/bin/radar-rpc``, put there when the wheel was built), the newest of
the repository's ``.build/release`` and ``.build/debug`` (found by walking up from this package
to the folder holding ``Package.swift``, so a fresh clone works after ``swift build``), then
``radar-rpc`` on ``PATH``. Stderr is inherited or goes to a file: never an undrained pipe,
which would block the server once ~64 KiB of logs filled it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence, Union

from .errors import BinaryNotFound

__all__ = ["BINARY_ENV", "BINARY_NAME", "BUNDLED_BINARY", "StderrTarget", "ServerSpec", "find_binary"]

BINARY_ENV = "RADAR_RPC_BIN"
BINARY_NAME = "radar-rpc"
# Where a wheel built with a binary (setup.py) has it.
BUNDLED_BINARY = Path(__file__).resolve().parent / "bin" / BINARY_NAME
# How many folders above this package may hold the repository root (src layout: 4).
_REPO_SEARCH_DEPTH = 6
STDERR_TAIL_LINES = 10
"""How many of the server's last standard-error lines a :class:`ConnectionLost` quotes, when captured."""
_STDERR_TAIL_BYTES = 1 << 16

StderrTarget = Union[None, int, str, "os.PathLike[str]", IO[Any]]
"""None: the parent's stderr; ``subprocess.DEVNULL``; a path (appended to); an open file or fd."""


def _problem(path: Path) -> Optional[str]:
    if not path.exists():
        return "does not exist"
    if not path.is_file():
        return "is not a file"
    if not os.access(str(path), os.X_OK):
        return "is not executable"
    return None


def _repository_root(start: Path) -> Optional[Path]:
    for folder in [start, *start.parents][:_REPO_SEARCH_DEPTH]:
        if (folder / "Package.swift").is_file():
            return folder
    return None


def find_binary(explicit: Union[None, str, "os.PathLike[str]"] = None) -> str:
    """The radar-rpc executable to run; raises :class:`BinaryNotFound` listing every place tried."""
    tried: List[str] = []

    def authoritative(path: Path, origin: str) -> str:
        problem = _problem(path)
        if problem is None:
            return str(path)
        tried.append("%s: %s %s" % (origin, path, problem))
        raise BinaryNotFound("the radar-rpc binary given by %s is not usable" % origin, None, {"tried": tried})

    if explicit is not None:
        return authoritative(Path(explicit).expanduser(), "the binary argument")
    from_env = os.environ.get(BINARY_ENV)
    if from_env:
        return authoritative(Path(from_env).expanduser(), "$" + BINARY_ENV)
    tried.append("$%s: not set" % BINARY_ENV)

    bundled = BUNDLED_BINARY
    problem = _problem(bundled)
    if problem is None:
        return str(bundled)
    tried.append("the binary bundled in the package, %s: %s" % (bundled, problem))

    root = _repository_root(Path(__file__).resolve().parent)
    if root is None:
        tried.append("a radar-rpc checkout around %s: none (no Package.swift above it)" % Path(__file__).parent)
    else:
        usable = []
        for configuration in ("release", "debug"):
            candidate = root / ".build" / configuration / BINARY_NAME
            problem = _problem(candidate)
            if problem is None:
                usable.append(candidate)
            else:
                tried.append("%s: %s" % (candidate, problem))
        if usable:  # the newest build wins: a stale release must not shadow a fresh debug build
            return str(max(usable, key=lambda p: p.stat().st_mtime))

    on_path = shutil.which(BINARY_NAME)
    if on_path:
        return on_path
    tried.append("%s on PATH: not found" % BINARY_NAME)
    raise BinaryNotFound(
        "radar-rpc binary not found (build it with `swift build` in the repository, or set $%s)" % BINARY_ENV,
        None,
        {"tried": tried},
    )


@dataclass
class ServerSpec:
    """Everything needed to spawn one server process; both clients build it from their arguments."""

    binary: Union[None, str, "os.PathLike[str]"] = None
    demo: bool = False
    base_url: Optional[str] = None
    log_level: Optional[str] = None
    args: Sequence[str] = ()
    env: Optional[Mapping[str, Optional[str]]] = None
    stderr: StderrTarget = None
    _owned_stderr: Optional[IO[Any]] = field(default=None, init=False, repr=False)
    _stderr_start: int = field(default=0, init=False, repr=False)

    def argv(self) -> List[str]:
        """The command line: the binary, then the options (credentials never go here)."""
        argv = [find_binary(self.binary)]
        if self.demo:
            argv.append("--demo")
        if self.base_url is not None:
            argv += ["--base-url", self.base_url]
        if self.log_level is not None:
            argv += ["--log-level", self.log_level]
        argv += [str(arg) for arg in self.args]
        return argv

    def environment(self) -> Dict[str, str]:
        """The parent's environment (``CLOUDFLARE_*`` included) with ``env`` applied; None removes a name."""
        environment = dict(os.environ)
        for name, value in (self.env or {}).items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return environment

    def open_stderr(self) -> Any:
        """What to pass as the child's stderr; a path is opened here and closed by :meth:`close_stderr`."""
        if isinstance(self.stderr, (str, os.PathLike)):
            self._owned_stderr = open(self.stderr, "ab")
            self._stderr_start = self._owned_stderr.tell()
            return self._owned_stderr
        return self.stderr

    def stderr_tail(self, lines: int = STDERR_TAIL_LINES) -> Optional[str]:
        """The last ``lines`` lines this server wrote to standard error, when it went to a path
        (the log file is read from where this server began); None when the client cannot know
        (inherited, DEVNULL, a file object)."""
        if not isinstance(self.stderr, (str, os.PathLike)):
            return None
        try:
            with open(self.stderr, "rb") as log:
                size = log.seek(0, os.SEEK_END)
                log.seek(max(self._stderr_start, size - _STDERR_TAIL_BYTES))
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return None
        return "\n".join(text.splitlines()[-lines:])

    def close_stderr(self) -> None:
        """Closes the file :meth:`open_stderr` opened, if any."""
        if self._owned_stderr is not None:
            self._owned_stderr.close()
            self._owned_stderr = None


def popen_options() -> Dict[str, Any]:
    """Options common to both clients' spawns: a new session, so the terminal's Ctrl-C reaches only
    the Python program, which then cancels its calls instead of the server dying under them."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}
