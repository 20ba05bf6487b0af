"""The bookkeeping both clients share: request ids, progress tokens, and routing of what the
server sends (responses by id, ``$/progress`` by token, ``radar/update`` by subscription).

It knows nothing of threads or asyncio: each pending call carries a ``complete`` function
that the client supplies (setting a ``concurrent.futures.Future`` or an asyncio future).
Its tables are guarded by a lock because the sync client registers calls on the caller's
thread while its reader thread routes answers; user callbacks always run outside the lock.
Messages are routed in the order they arrive, so every ``$/progress`` of a call (sent before
its response) has been delivered when the call completes, and the first ``radar/update`` of a
subscription finds its queue registered (the subscribe call's ``on_result`` hook runs first).

A call's callbacks run in the ``contextvars`` context of the code that made the call (copied
when it is registered), wherever the answer is read: in Jupyter that context says which cell's
output a ``print`` in a callback belongs to.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from .errors import ConnectionLost, RadarError, error_from_object
from .results import Progress, Series, Update, result_from_json

__all__ = ["Call", "Router", "ProgressCallback", "PartialCallback", "UpdateSink", "Token"]

_log = logging.getLogger("radar_rpc")

Token = Union[str, int]
ProgressCallback = Callable[[Progress], None]
"""Called on the client's reader (thread or event loop) for each work-done progress notification."""
PartialCallback = Callable[[str, Series], None]
"""Called with (series name, series) as each series of the result arrives."""
UpdateSink = Callable[[Union[Update, RadarError]], None]
"""Receives a subscription's updates, then one final RadarError when the connection ends."""
Outcome = Union[Any, BaseException]


class Call:
    """One request in flight."""

    __slots__ = (
        "method",
        "complete",
        "on_progress",
        "on_partial",
        "on_result",
        "progress_token",
        "partial_token",
        "partials",
        "callback_error",
        "context",
        "progress_state",
        "progress_lock",
        "delivering",
    )

    def __init__(
        self,
        method: str,
        complete: Callable[[Outcome], None],
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        on_result: Optional[Callable[[Any], None]] = None,
    ) -> None:
        self.method = method
        self.complete = complete
        self.on_progress = on_progress
        self.on_partial = on_partial
        self.on_result = on_result
        self.progress_token: Optional[Token] = None
        self.partial_token: Optional[Token] = None
        self.partials: Dict[str, Any] = {}
        self.callback_error: Optional[BaseException] = None
        self.context = contextvars.copy_context()
        self.progress_state = _NOT_BEGUN
        self.progress_lock = threading.RLock()  # one progress callback at a time, in order
        self.delivering = False

    def deliver_progress(self, value: Dict[str, Any]) -> None:
        """Runs ``on_progress`` for one ``$/progress`` value of this call (on the reader), unless
        the call was given up meanwhile."""
        assert self.on_progress is not None
        with self.progress_lock:
            if self.progress_state == _ENDED:
                return
            self.progress_state = _ENDED if value.get("kind") == "end" else _OPEN
            self.delivering = True
            try:
                self.context.run(self.on_progress, Progress.from_json(value))
            finally:
                self.delivering = False

    def end_progress(self, message: str) -> None:
        """Gives ``on_progress`` the ``end`` that the server will not deliver any more (the call was
        given up on this side: cancelled, timed out, the client closed), so begin always has its
        end; it runs on the thread that gave the call up."""
        with self.progress_lock:
            was_open, self.progress_state = self.progress_state == _OPEN, _ENDED
            if not was_open or self.on_progress is None or self.delivering:
                return  # (a callback that gives up its own call gets no end inside itself)
            try:
                self.context.run(self.on_progress, Progress("end", message=message))
            except Exception:  # noqa: BLE001 — the call is over: nobody to hand the error to
                _log.exception("on_progress raised at the end of a call given up")


_NOT_BEGUN, _OPEN, _ENDED = range(3)


class Router:
    """Ids, tokens and routing for one connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._calls: Dict[int, Call] = {}
        self._tokens: Dict[Token, Call] = {}
        self._sinks: Dict[str, UpdateSink] = {}
        self._ended: Optional[RadarError] = None

    # Registering --------------------------------------------------------------------------------

    def register(self, method: str, params: Any, call: Call) -> Tuple[int, Dict[str, Any]]:
        """Assigns an id (and tokens for the callbacks given) and returns the request message.

        Raises the connection's end error if it has ended, so no call waits forever.
        """
        with self._lock:
            if self._ended is not None:
                raise self._ended
            request_id = next(self._ids)
            if call.on_progress is not None or call.on_partial is not None:
                params = dict(params or {})
                if call.on_progress is not None:
                    call.progress_token = params.setdefault("workDoneToken", "py-%d-progress" % request_id)
                    self._tokens[call.progress_token] = call
                if call.on_partial is not None:
                    call.partial_token = params.setdefault("partialResultToken", "py-%d-partial" % request_id)
                    self._tokens[call.partial_token] = call
            self._calls[request_id] = call
        message: Dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        return request_id, message

    def abandon(self, request_id: int) -> bool:
        """Forgets a call (its late answer will be dropped; its progress ends "cancelled");
        True if it was still waiting."""
        with self._lock:
            call = self._calls.pop(request_id, None)
            if call is not None:
                self._drop_tokens(call)
        if call is not None:
            call.end_progress("cancelled")
        return call is not None

    def is_pending(self, request_id: int) -> bool:
        """True while the call waits for its response."""
        with self._lock:
            return request_id in self._calls

    def add_sink(self, subscription: str, sink: UpdateSink) -> None:
        """Routes ``radar/update`` of ``subscription`` to ``sink``."""
        with self._lock:
            ended = self._ended
            if ended is None:
                self._sinks[subscription] = sink
        if ended is not None:
            sink(ended)

    def remove_sink(self, subscription: str) -> None:
        """Stops routing updates of ``subscription``."""
        with self._lock:
            self._sinks.pop(subscription, None)

    def fail_calls(self, error: RadarError) -> List[int]:
        """Fails every waiting call with ``error`` (the connection goes on); returns their ids."""
        with self._lock:
            calls, self._calls, self._tokens = self._calls, {}, {}
        for call in calls.values():
            call.end_progress("cancelled")
            call.complete(error)
        return list(calls)

    @property
    def ended(self) -> Optional[RadarError]:
        """The error the connection ended with, or None while it lasts."""
        with self._lock:
            return self._ended

    def end(self, error: RadarError) -> None:
        """The connection is over: fails every waiting call and ends every subscription with ``error``."""
        with self._lock:
            if self._ended is None:
                self._ended = error
            calls, self._calls, self._tokens = list(self._calls.values()), {}, {}
            sinks, self._sinks = list(self._sinks.values()), {}
        for call in calls:
            call.end_progress("radar-rpc is gone")
            call.complete(error)
        for sink in sinks:
            sink(error)

    # Routing ------------------------------------------------------------------------------------

    def dispatch(self, message: Any) -> None:
        """Routes one message from the server."""
        if isinstance(message, list):  # a batch answer: we never send batches, but accept one
            for item in message:
                self.dispatch(item)
            return
        if not isinstance(message, dict):
            _log.warning("radar-rpc sent a message that is not an object: %.200r", message)
            return
        method = message.get("method")
        if method is None:
            self._response(message)
        elif "id" in message:
            _log.warning("radar-rpc sent a request (%s), which this client does not serve", method)
        elif method == "$/progress":
            self._progress(message.get("params") or {})
        elif method == "radar/update":
            self._update(message.get("params") or {})
        else:
            _log.debug("notification %s ignored", method)

    def _response(self, message: Dict[str, Any]) -> None:
        request_id = message.get("id")
        with self._lock:
            call = self._calls.pop(request_id, None) if type(request_id) is int else None  # never True for 1
            if call is not None:
                self._drop_tokens(call)
        if call is None:
            if request_id is None and "error" in message:
                _log.error("radar-rpc reported an error without an id: %s", error_from_object(message["error"]))
            else:
                _log.debug("answer to request %r dropped (cancelled or timed out)", request_id)
            return
        outcome: Outcome
        if "error" in message:
            outcome = error_from_object(message["error"])
        else:
            outcome = message.get("result")
            if call.partials:
                outcome = _merge_partials(outcome, call.partials)
            if call.on_result is not None:
                try:
                    call.context.run(call.on_result, outcome)
                except Exception as error:  # noqa: BLE001 — handed to the caller below
                    outcome = error
        if call.callback_error is not None:
            outcome = call.callback_error
        call.complete(outcome)

    def _progress(self, params: Dict[str, Any]) -> None:
        token = params.get("token")
        value = params.get("value")
        with self._lock:
            call = self._tokens.get(token) if isinstance(token, (str, int)) else None
        if call is None or not isinstance(value, dict) or call.callback_error is not None:
            return
        try:
            if token == call.progress_token and call.on_progress is not None and "kind" in value:
                call.deliver_progress(value)
            elif token == call.partial_token:
                for name, series in value.items():
                    call.partials[name] = series
                    if call.on_partial is not None and isinstance(series, dict):
                        call.context.run(call.on_partial, name, Series.from_json(name, series))
        except Exception as error:  # noqa: BLE001 — a callback's exception fails its call, not the reader
            call.callback_error = error

    def _update(self, params: Dict[str, Any]) -> None:
        subscription = params.get("subscription")
        with self._lock:
            sink = self._sinks.get(subscription) if isinstance(subscription, str) else None
        if sink is None:
            _log.debug("update for subscription %r dropped (unsubscribed)", subscription)
            return
        assert isinstance(subscription, str)
        if "error" in params:
            sink(Update(subscription, error=error_from_object(params["error"])))
            return
        try:
            sink(Update(subscription, result=result_from_json(params.get("result"))))
        except (RadarError, ValueError) as error:
            sink(Update(subscription, error=error if isinstance(error, RadarError) else RadarError(str(error))))

    def _drop_tokens(self, call: Call) -> None:
        for token in (call.progress_token, call.partial_token):
            if token is not None:
                self._tokens.pop(token, None)


def _merge_partials(result: Any, partials: Dict[str, Any]) -> Any:
    """With a partialResultToken the response holds ``meta`` alone: put the series back after it."""
    if not isinstance(result, dict) or result.get("format") == "CSV":
        return result
    merged = {"meta": result["meta"]} if "meta" in result else {}
    merged.update(partials)
    merged.update((k, v) for k, v in result.items() if k != "meta")
    return merged


def ended_error(text: str) -> ConnectionLost:
    """The :class:`ConnectionLost` for a connection this client ended (or found ended)."""
    return ConnectionLost(text)
