"""One server per process for notebooks: :func:`shared`.

A notebook cell ``radar = RadarClient(demo=True); radar`` run three times starts three servers,
and IPython's output cache (``Out``, ``_``) keeps the old clients, so their servers live until
the kernel restarts. ``radar = radar_rpc.shared(demo=True)`` gives the same client every time
it is run with the same arguments (a new one, after closing the old, when they change), and the
client is closed when the interpreter exits (the kernel shuts down or restarts). Explicit
``RadarClient(...)`` objects keep a server of their own.
"""

from __future__ import annotations

import threading
from typing import Any, Optional, Tuple

from .client import RadarClient

__all__ = ["shared"]

_lock = threading.Lock()
_current: Optional[Tuple[str, RadarClient]] = None


def shared(binary: Any = None, **arguments: Any) -> RadarClient:
    """The process's shared :class:`RadarClient` for these arguments (those of ``RadarClient``).

    The same arguments give the same client, as long as it is open; other arguments (or a client
    that was closed, or whose server died) close it and start a new one, so there is never more
    than one. It is closed at interpreter exit like any client (``shutdown``, ``exit``).
    """
    global _current
    key = repr((binary, sorted(arguments.items())))
    with _lock:
        current = _current
        if current is not None and current[0] == key and not current[1].closed and current[1].returncode is None:
            return current[1]
        _current = None
    if current is not None:
        current[1].close()
    client = RadarClient(binary, **arguments)
    with _lock:
        previous, _current = _current, (key, client)
    if previous is not None:  # another thread started one meanwhile: one client only
        previous[1].close()
    return client
