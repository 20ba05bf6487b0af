"""The constructor both clients share: it records how to start the server; the sync client
starts it at once, the async one in ``start()`` on the running loop."""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional, Sequence, Union

from ._process import ServerSpec, StderrTarget
from ._timeouts import checked_timeout

__all__ = ["ClientBase"]


class ClientBase:
    """Arguments of :class:`RadarClient` and :class:`AsyncRadarClient` (documented there)."""

    def __init__(
        self,
        binary: Union[None, str, "os.PathLike[str]"] = None,
        *,
        demo: bool = False,
        base_url: Optional[str] = None,
        api_token: Optional[str] = None,
        args: Sequence[str] = (),
        env: Optional[Mapping[str, Optional[str]]] = None,
        stderr: StderrTarget = None,
        log_level: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> None:
        self._spec = ServerSpec(binary, demo, base_url, log_level, tuple(args), env, stderr)
        self._api_token = api_token
        self.timeout = checked_timeout(timeout)
        """Default ``timeout`` of every call, in seconds (None: no limit)."""
        self.server_info: Optional[Dict[str, Any]] = None
        """The result of ``initialize``, once called."""
        self._created()

    def _created(self) -> None:
        """Hook run at the end of ``__init__``."""

    def _timeout(self, timeout: Optional[float]) -> Optional[float]:
        return self.timeout if timeout is None else checked_timeout(timeout)
