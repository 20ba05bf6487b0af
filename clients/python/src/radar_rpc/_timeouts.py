"""Every bounded wait of both clients, in seconds, defined once.

Closing follows the lifecycle of the contract (``protocol/README.md``, Lifecycle; LSP 3.17
``shutdown``/``exit``): calls still in flight are cancelled (``$/cancelRequest``) and fail at
once with :class:`ConnectionLost`; ``shutdown`` is sent and its answer awaited at most
:data:`SHUTDOWN_GRACE` + :data:`SHUTDOWN_MARGIN`; ``exit`` is sent and the server's input
closed; the process gets :data:`EXIT_TIMEOUT` to exit. SIGTERM (answered by the server within
1 s) comes only after that, for a server that is not healthy, and SIGKILL only if SIGTERM did
not work either.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

__all__ = [
    "SHUTDOWN_GRACE",
    "SHUTDOWN_MARGIN",
    "EXIT_TIMEOUT",
    "TERMINATE_TIMEOUT",
    "KILL_TIMEOUT",
    "PIPES_TIMEOUT",
    "READER_JOIN_TIMEOUT",
    "CANCEL_ACK_TIMEOUT",
    "UNSUBSCRIBE_TIMEOUT",
    "shutdown_timeout",
    "checked_timeout",
]

SHUTDOWN_GRACE = 2.0
"""The server's ``--shutdown-grace`` default: how long ``shutdown`` lets calls in flight finish."""
SHUTDOWN_MARGIN = 1.0
"""Added to the grace when waiting for ``shutdown``'s answer (a busy machine, a slow pipe)."""
EXIT_TIMEOUT = 2.0
"""After ``exit`` and end of input: how long the process gets to exit before SIGTERM."""
TERMINATE_TIMEOUT = 2.0
"""After SIGTERM (the server exits within 1 s of it): how long before SIGKILL."""
KILL_TIMEOUT = 5.0
"""After SIGKILL (the kernel's business: only a bound against a stuck event loop)."""
PIPES_TIMEOUT = 2.0
"""Once the process is gone: how long its pipes get to report closed (asyncio)."""
READER_JOIN_TIMEOUT = 2.0
"""Once the process is gone: how long the reader thread gets to finish (sync client)."""
CANCEL_ACK_TIMEOUT = 1.0
"""After a call's timeout: how long to wait for the server to confirm the cancellation (-32800)."""
UNSUBSCRIBE_TIMEOUT = 2.0
"""How long closing a subscription waits for ``radar.unsubscribe``."""


def checked_timeout(timeout: Optional[float]) -> Optional[float]:
    """A call's ``timeout`` as given (seconds; None: no limit), or ValueError when it is not a finite
    number above zero (``-1`` or ``nan`` would otherwise end every call at once, or never)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds or None, not %s" % type(timeout).__name__)
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError("timeout must be a finite number of seconds above 0 (or None for no limit), not %r" % timeout)
    return float(timeout)


def shutdown_timeout(args: Sequence[str]) -> float:
    """How long to wait for ``shutdown``'s answer: the grace the server was started with
    (``--shutdown-grace N`` or ``--shutdown-grace=N`` in ``args``, else the default) plus the margin."""
    grace: Optional[float] = None
    for index, arg in enumerate(args):
        value: Optional[str] = None
        if arg == "--shutdown-grace" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--shutdown-grace="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                grace = float(value)
            except ValueError:
                grace = None  # the server refuses it and exits 2: nothing to wait for
    return (SHUTDOWN_GRACE if grace is None or grace < 0 else grace) + SHUTDOWN_MARGIN
