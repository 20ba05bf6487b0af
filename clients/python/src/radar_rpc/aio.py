"""The asyncio client: the same server and protocol as :mod:`radar_rpc.client`, on an event loop.

The process is spawned with ``loop.subprocess_exec`` and a protocol of our own, so the
server's output arrives as raw chunks that the length-based frame decoder assembles: no
``StreamReader`` line limit (64 KiB) can cut a large result. Calls are futures of the loop;
cancelling the task that awaits one (``task.cancel()``, ``asyncio.wait_for``, a
``TaskGroup`` failing) sends ``$/cancelRequest``, and so does a call's ``timeout``.
``aclose()`` (or ``async with``) stops the server with the same bounded steps as the sync
client (:mod:`radar_rpc._timeouts`); a client that was never closed is stopped the same way
when garbage-collected with its loop running, and by SIGTERM without one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import weakref
from typing import Any, Awaitable, Callable, Dict, Generator, List, Mapping, Optional, Set

from ._client_base import ClientBase
from ._framing import FrameDecoder, FramingError, encode_message
from ._methods import AsyncRadarMethods
from ._params import build_params, initialize_params, radar_method, subscription_params, to_json_value
from ._process import ServerSpec, popen_options
from ._subscription import SubscriptionBase
from ._router import Call, PartialCallback, ProgressCallback, Router, ended_error
from ._timeouts import CANCEL_ACK_TIMEOUT, EXIT_TIMEOUT, KILL_TIMEOUT, PIPES_TIMEOUT, TERMINATE_TIMEOUT
from ._timeouts import UNSUBSCRIBE_TIMEOUT, shutdown_timeout
from .errors import Cancelled, ConnectionLost, InvalidParams, RadarError, RequestTimeout
from .results import Result, Update, result_from_json

__all__ = ["AsyncRadarClient", "AsyncSubscription"]

_log = logging.getLogger("radar_rpc")

class _Protocol(asyncio.SubprocessProtocol):
    """Feeds the server's output to the decoder and reports the process's end."""

    def __init__(self, connection: "_AsyncConnection") -> None:
        self._connection = connection
        self._decoder = FrameDecoder()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if fd != 1:
            return
        try:
            messages = self._decoder.feed(data)
        except FramingError as error:
            self._connection.framing_failed(error)
            return
        for message in messages:
            self._connection.router.dispatch(message)

    def pipe_connection_lost(self, fd: int, exc: Optional[Exception]) -> None:
        if fd == 1:
            self._connection.output_closed()

    def process_exited(self) -> None:
        _set(self._connection.exited)

    def connection_lost(self, exc: Optional[Exception]) -> None:
        _set(self._connection.finished)

    def pause_writing(self) -> None:
        self._connection.writable.clear()

    def resume_writing(self) -> None:
        self._connection.writable.set()


def _set(future: "asyncio.Future[None]") -> None:
    if not future.done():
        future.set_result(None)


class _AsyncConnection:
    """The process, its pipes and the router; lives on one event loop."""

    def __init__(self, spec: ServerSpec, loop: asyncio.AbstractEventLoop) -> None:
        self.spec = spec
        self.loop = loop
        self.router = Router()
        self.closing = False
        self.output_done = False
        self.why: Optional[str] = None
        self.transport: Optional[asyncio.SubprocessTransport] = None
        self._stdin: Optional[asyncio.WriteTransport] = None
        self.exited: "asyncio.Future[None]" = loop.create_future()
        self.finished: "asyncio.Future[None]" = loop.create_future()
        self.writable = asyncio.Event()
        self.writable.set()

    async def start(self) -> None:
        argv = self.spec.argv()
        stderr = self.spec.open_stderr()
        try:
            transport, _ = await self.loop.subprocess_exec(
                lambda: _Protocol(self),
                *argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=self.spec.environment(),
                **popen_options(),
            )
        except BaseException:
            self.spec.close_stderr()
            raise
        self.transport = transport
        stdin = transport.get_pipe_transport(0)
        assert isinstance(stdin, asyncio.WriteTransport)
        self._stdin = stdin

    @property
    def pid(self) -> int:
        assert self.transport is not None
        return self.transport.get_pid()

    # Sending ------------------------------------------------------------------------------------

    def _write(self, message: Any) -> None:
        if self._stdin is None or self._stdin.is_closing():
            raise ended_error("radar-rpc's input is closed (the client was closed)")
        self._stdin.write(encode_message(message))

    def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification (written at once, without waiting for the pipe to drain)."""
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._write(message)

    def send_and_forget(self, method: str, params: Any) -> None:
        """Sends a request whose answer nobody waits for."""
        if self.closing:
            return
        try:
            request_id, message = self.router.register(method, params, Call(method, lambda outcome: None))
        except RadarError:  # the connection has ended
            return
        try:
            self._write(message)
        except (RadarError, TypeError, ValueError):  # not sent: nothing will answer it
            self.router.abandon(request_id)

    def cancel(self, request_id: int) -> None:
        """Forgets a call and asks the server to cancel it (if it was still waiting)."""
        if self.router.abandon(request_id):
            try:
                self.notify("$/cancelRequest", {"id": request_id})
            except RadarError:
                pass

    async def request(
        self,
        method: str,
        params: Any = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        on_result: Optional[Callable[[Any], None]] = None,
    ) -> Any:
        """Sends a request and awaits its result; cancellation and ``timeout`` cancel it on the server."""
        if self.closing and method != "shutdown":
            raise ended_error("the client was closed")
        future: "asyncio.Future[Any]" = self.loop.create_future()

        def complete(outcome: Any) -> None:
            if not future.done():
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

        request_id, message = self.router.register(
            method, params, Call(method, complete, on_progress, on_partial, on_result)
        )
        try:
            self._write(message)
        except BaseException:  # not sent (gone server, unencodable params): nothing will answer it
            self.router.abandon(request_id)
            raise
        try:
            await self.writable.wait()  # backpressure: the pipe to the server is full
            if timeout is None:
                return await future
            done, _ = await asyncio.wait({future}, timeout=timeout)
            if done:
                return future.result()
            # Ask the server to cancel, keeping the call registered so its -32800 reaches the future.
            try:
                self.notify("$/cancelRequest", {"id": request_id})
            except RadarError:
                pass
            done, _ = await asyncio.wait({future}, timeout=CANCEL_ACK_TIMEOUT)
        except asyncio.CancelledError:
            self.cancel(request_id)
            raise
        if not done:
            self.router.abandon(request_id)
        acknowledged = bool(done) and isinstance(future.exception(), Cancelled)
        raise RequestTimeout.after(method, timeout, acknowledged)

    # Reading ------------------------------------------------------------------------------------

    def framing_failed(self, error: FramingError) -> None:
        self.why = "its output is not LSP framing: %s" % error
        _log.error("radar-rpc %s; stopping the server", self.why)
        if self.transport is not None:
            self.transport.kill()

    def output_closed(self) -> None:
        self.output_done = True
        if self.closing:
            self.router.end(ended_error("the client was closed"))
            return
        transport = self.transport
        if transport is not None and transport.get_returncode() is None:
            # The output closes before asyncio reports the exit: learn the exit code first.
            self.exited.add_done_callback(lambda _: self._lost())
            self.loop.call_later(EXIT_TIMEOUT, self._lost)
        else:
            self._lost()

    def _lost(self) -> None:
        if self.router.ended is not None or self.transport is None:
            return
        error = ConnectionLost.process_ended(
            self.transport.get_pid(), self.transport.get_returncode(), self.spec.stderr_tail(), self.why
        )
        self.router.end(error)

    # Closing ------------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """``shutdown`` + ``exit``, end of input, bounded waits, SIGTERM, SIGKILL; closes the transport."""
        if self.closing:
            await asyncio.wait({self.finished}, timeout=EXIT_TIMEOUT + TERMINATE_TIMEOUT + KILL_TIMEOUT)
            return
        self.closing = True
        transport = self.transport
        assert transport is not None
        try:
            # Nobody will read the answers of the calls still in flight: fail them now, and
            # tell the server, so that shutdown has nothing to wait for.
            for request_id in self.router.fail_calls(ended_error("the client was closed")):
                try:
                    self.notify("$/cancelRequest", {"id": request_id})
                except RadarError:
                    break
            if transport.get_returncode() is None and not self.output_done:
                try:
                    await asyncio.wait_for(self.request("shutdown"), shutdown_timeout(self.spec.args))
                except (RadarError, asyncio.TimeoutError) as error:
                    _log.debug("shutdown: %s", error)
                try:
                    self.notify("exit")
                except RadarError as error:
                    _log.debug("exit: %s", error)
            if self._stdin is not None:
                self._stdin.close()
            await self._reap(transport)
        finally:
            transport.close()  # kills the process if a cancellation cut the steps above short
            self.spec.close_stderr()
            self.router.end(ended_error("the client was closed"))

    async def _reap(self, transport: asyncio.SubprocessTransport) -> None:
        steps: List[Any] = [
            (None, EXIT_TIMEOUT),
            (transport.terminate, TERMINATE_TIMEOUT),
            (transport.kill, KILL_TIMEOUT),
        ]
        for send, wait in steps:
            if send is not None:
                try:
                    send()
                except ProcessLookupError:
                    pass
            done, _ = await asyncio.wait({self.exited}, timeout=wait)
            if done:
                break
        await asyncio.wait({self.finished}, timeout=PIPES_TIMEOUT)


_closing: "Set[asyncio.Task[None]]" = set()
"""aclose() tasks started by finalizers: the loop holds tasks weakly, so they are kept here."""


def _close_unclosed(connection: _AsyncConnection) -> None:
    """An AsyncRadarClient dropped (or left at exit) without aclose(): stop its server anyway.

    With its loop running, the usual aclose() runs there as a task (this may be called inside
    any code, so nothing is awaited or locked here). Without one (the loop is closed, or the
    interpreter is exiting), SIGTERM; the server would also exit by itself at the end of its input.
    """
    transport = connection.transport
    if connection.closing or transport is None or transport.is_closing():
        return
    loop = connection.loop

    def close_on_loop() -> None:
        task = loop.create_task(connection.aclose())
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    if loop.is_running():
        try:
            loop.call_soon_threadsafe(close_on_loop)
            return
        except RuntimeError:  # closed meanwhile
            pass
    connection.closing = True
    try:
        if transport.get_returncode() is None:
            os.kill(transport.get_pid(), signal.SIGTERM)
    except OSError:
        pass
    connection.spec.close_stderr()


def _unsubscribe_soon(connection: _AsyncConnection, subscription: str) -> None:
    """A subscription dropped without aclose(): stop its updates without waiting for the answer.

    The work is scheduled on the loop, not done here: the garbage collector may call this inside
    any code, even while the router's lock is held.
    """

    def unsubscribe() -> None:
        connection.router.remove_sink(subscription)
        connection.send_and_forget("radar.unsubscribe", {"subscription": subscription})

    if connection.closing or connection.loop.is_closed():
        return
    try:
        connection.loop.call_soon_threadsafe(unsubscribe)
    except RuntimeError:  # the loop closed meanwhile
        pass


class AsyncSubscription(SubscriptionBase):
    """The updates of one ``radar.subscribe``, as an async iterator of :class:`Update`.

    The first update comes at once, then one each time a poll brings a different result (or
    fails). ``await aclose()``, leaving ``async with``, or dropping the object unsubscribes.
    Iteration stops when it is closed or the client is; it raises :class:`ConnectionLost` if
    the server died.
    """

    def __init__(
        self, client: "AsyncRadarClient", connection: _AsyncConnection, subscription: str, updates: "asyncio.Queue[Any]"
    ) -> None:
        super().__init__(client, connection, subscription, updates.put_nowait, _unsubscribe_soon)
        self._updates = updates

    def __aiter__(self) -> "AsyncSubscription":
        return self

    async def __anext__(self) -> Update:
        return await self.next()

    async def next(self, timeout: Optional[float] = None) -> Update:
        """The next update, waiting at most ``timeout`` seconds (TimeoutError), or StopAsyncIteration."""
        if self._closed:
            raise StopAsyncIteration
        try:
            item = await asyncio.wait_for(self._updates.get(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError("no update of %s within %ss" % (self.id, timeout)) from None
        return self._take(item, StopAsyncIteration)

    async def aclose(self, timeout: float = UNSUBSCRIBE_TIMEOUT) -> None:
        """Unsubscribes (waiting at most ``timeout``) and ends iteration; idempotent."""
        if self._begin_close():
            try:
                await self._connection.request("radar.unsubscribe", {"subscription": self.id}, timeout)
            except (InvalidParams, ConnectionLost):
                pass  # already ended on the server, or the server is gone

    async def __aenter__(self) -> "AsyncSubscription":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()


class _Subscribing:
    """What :meth:`AsyncRadarClient.subscribe` returns: await it, or use it in ``async with``."""

    def __init__(self, start: Callable[[], Awaitable[AsyncSubscription]]) -> None:
        self._start = start
        self._subscription: Optional[AsyncSubscription] = None

    def __await__(self) -> Generator[Any, None, AsyncSubscription]:
        return self._start().__await__()

    async def __aenter__(self) -> AsyncSubscription:
        self._subscription = await self._start()
        return self._subscription

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._subscription is not None:
            await self._subscription.aclose()


class AsyncRadarClient(ClientBase, AsyncRadarMethods):
    """A radar-rpc server process and an asyncio client for it.

    >>> async with AsyncRadarClient(demo=True) as radar:
    ...     result = await radar.netflows_timeseries_groups("PRODUCT", date_range="7d")

    The arguments are those of :class:`radar_rpc.RadarClient`. The server starts in
    ``async with`` or :meth:`start`, on the running loop, and the client belongs to that loop.
    """

    def _created(self) -> None:
        self._connection: Optional[_AsyncConnection] = None
        self._finalizer: Optional[weakref.finalize] = None  # type: ignore[type-arg]

    def __repr__(self) -> str:
        if self._connection is None:
            return "<AsyncRadarClient not started>"
        return "<AsyncRadarClient %s>" % ("closed" if self._connection.closing else "pid %d" % self.pid)

    async def start(self) -> "AsyncRadarClient":
        """Spawns the server (once); returns the client."""
        if self._connection is not None:
            return self
        connection = _AsyncConnection(self._spec, asyncio.get_running_loop())
        await connection.start()
        self._connection = connection
        self._finalizer = weakref.finalize(self, _close_unclosed, connection)
        if self._api_token is not None:
            try:
                await self.initialize(api_token=self._api_token)
            except BaseException:
                await self.aclose()
                raise
        return self

    @property
    def _conn(self) -> _AsyncConnection:
        if self._connection is None:
            raise RuntimeError(
                "AsyncRadarClient is not started: use `async with AsyncRadarClient(...)` or `await client.start()`"
            )
        return self._connection

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self._conn.pid

    @property
    def returncode(self) -> Optional[int]:
        """The server's exit code once it has exited, else None."""
        transport = self._conn.transport
        return transport.get_returncode() if transport is not None else None

    @property
    def closed(self) -> bool:
        """True once aclose() has begun."""
        return self._connection is not None and self._connection.closing

    async def call(
        self,
        method: str,
        params: Any = None,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
    ) -> Any:
        """Calls any method with params as given (wire names) and returns the raw JSON result."""
        return await self._conn.request(method, to_json_value(params), self._timeout(timeout), on_progress, on_partial)

    def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification (no answer)."""
        self._conn.notify(method, to_json_value(params))

    async def _radar_call(
        self,
        method: str,
        named: Dict[str, Any],
        extra: Dict[str, Any],
        *,
        timeout: Optional[float],
        on_progress: Optional[ProgressCallback],
        on_partial: Optional[PartialCallback],
    ) -> Result:
        params = build_params(method, named, radar_method(method)[1], extra)
        raw = await self._conn.request(method, params, self._timeout(timeout), on_progress, on_partial)
        return result_from_json(raw)

    async def initialize(self, *, api_token: Optional[str] = None, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The LSP-style handshake (optional): returns ``{serverInfo, capabilities, backend}``."""
        result = await self._conn.request("initialize", initialize_params(api_token), self._timeout(timeout))
        self._conn.notify("initialized", {})
        self.server_info = result
        return dict(result)

    async def stats(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The server's counters (``server.stats``)."""
        return dict(await self._conn.request("server.stats", None, self._timeout(timeout)))

    async def discover(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The server's OpenRPC document (``rpc.discover``)."""
        return dict(await self._conn.request("rpc.discover", None, self._timeout(timeout)))

    def subscribe(
        self,
        method: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        interval_seconds: int = 60,
        timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> _Subscribing:
        """Polls a Radar method every ``interval_seconds``; await it, or ``async with`` it::

        async with radar.subscribe("netflows_timeseries_groups", dimension="PRODUCT") as updates:
            async for update in updates:
                print(update.unwrap().series)
        """
        subscribe_params = subscription_params(method, params, kwargs, interval_seconds)

        async def start() -> AsyncSubscription:
            connection = self._conn
            updates: "asyncio.Queue[Any]" = asyncio.Queue()

            def register(result: Any) -> None:  # before any radar/update of it is routed
                connection.router.add_sink(result["subscription"], updates.put_nowait)

            result = await connection.request(
                "radar.subscribe", subscribe_params, self._timeout(timeout), on_result=register
            )
            return AsyncSubscription(self, connection, result["subscription"], updates)

        return _Subscribing(start)

    async def aclose(self) -> None:
        """Stops the server cleanly (``shutdown``, ``exit``, bounded waits, then signals); idempotent."""
        if self._connection is None:
            return
        if self._finalizer is not None:
            self._finalizer.detach()
        await self._connection.aclose()

    async def __aenter__(self) -> "AsyncRadarClient":
        return await self.start()

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()
