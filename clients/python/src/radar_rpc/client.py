"""The synchronous client: one radar-rpc process per client, spoken to over its pipes.

Design (after python-lsp-jsonrpc, with its pitfalls fixed): callers write frames under a lock
and wait on ``concurrent.futures`` futures; one reader thread reads the server's output and
completes them, so any number of calls may be in flight from any number of threads, and the
server's output is always drained (it can never block writing to us while we block writing to
it). Callbacks (``on_progress``, ``on_partial``) run on that reader thread: keep them short.

A call's ``timeout`` or a ``KeyboardInterrupt`` while it waits sends ``$/cancelRequest``;
cancelling the future of :meth:`RadarClient.submit` does the same. ``close()`` (or the
``with`` block, or garbage collection, or interpreter exit) follows the contract's lifecycle
(:mod:`radar_rpc._timeouts` has the steps and their bounds): calls in flight are cancelled,
``shutdown``, ``exit``, end of input, a bounded wait for the process; SIGTERM and SIGKILL only
for a server that does not exit, so no zombie and no open pipe is left behind.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import subprocess
import threading
import weakref
from typing import Any, Callable, Dict, Mapping, Optional

from ._client_base import ClientBase
from ._framing import FrameDecoder, FramingError, encode_message
from ._methods import RadarMethods
from ._params import build_params, initialize_params, radar_method, subscription_params, to_json_value
from ._process import ServerSpec, popen_options
from ._subscription import SubscriptionBase
from ._router import Call, PartialCallback, ProgressCallback, Router, ended_error
from ._timeouts import CANCEL_ACK_TIMEOUT, EXIT_TIMEOUT, READER_JOIN_TIMEOUT, TERMINATE_TIMEOUT, UNSUBSCRIBE_TIMEOUT
from ._timeouts import shutdown_timeout
from .errors import Cancelled, ConnectionLost, InvalidParams, RadarError, RequestTimeout
from .results import Result, Update, result_from_json

__all__ = ["RadarClient", "RadarFuture", "Subscription"]

_log = logging.getLogger("radar_rpc")

READ_CHUNK = 1 << 16


class RadarFuture(concurrent.futures.Future):  # type: ignore[type-arg]  # generic only from 3.9 typeshed
    """A call in flight. ``cancel()`` succeeds until the answer arrives, and sends ``$/cancelRequest``."""

    def __init__(self, connection: "_Connection", method: str) -> None:
        super().__init__()
        self.method = method
        self.request_id = 0
        self._connection = connection

    def cancel(self) -> bool:
        if not super().cancel():
            return False
        self._connection.cancel(self.request_id)
        return True


class _Connection:
    """The process, its pipes, the reader thread and the router; knows nothing of the public API."""

    def __init__(self, spec: ServerSpec) -> None:
        self.spec = spec
        self.router = Router()
        self._write_lock = threading.Lock()
        self._close_lock = threading.Lock()
        self.closing = False
        argv = spec.argv()
        stderr = spec.open_stderr()
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=spec.environment(),
                **popen_options(),
            )
        except BaseException:
            spec.close_stderr()
            raise
        self._reader = threading.Thread(
            target=self._read_loop, name="radar-rpc reader %d" % self.process.pid, daemon=True
        )
        self._reader.start()

    # Sending ------------------------------------------------------------------------------------

    def _write(self, message: Any) -> None:
        frame = encode_message(message)
        with self._write_lock:
            stdin = self.process.stdin
            if stdin is None or stdin.closed:
                raise ended_error("radar-rpc's input is closed (the client was closed)")
            try:
                stdin.write(frame)
                stdin.flush()
                return
            except (BrokenPipeError, OSError, ValueError) as error:
                failure = error
        # The server is gone: the reader, at the end of its output, learns the exit code.
        if threading.current_thread() is not self._reader:
            self._reader.join(EXIT_TIMEOUT)
        ended = self.router.ended
        raise (
            ended or self.lost("radar-rpc stopped reading its input: %s" % failure, self.process.poll())
        ) from failure

    def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification."""
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._write(message)

    def submit(
        self,
        method: str,
        params: Any,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        on_result: Optional[Any] = None,
    ) -> RadarFuture:
        """Sends a request; its future completes when the reader routes the answer."""
        if self.closing and method != "shutdown":
            raise ended_error("the client was closed")
        future = RadarFuture(self, method)

        def complete(outcome: Any) -> None:
            try:
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
            except concurrent.futures.InvalidStateError:  # cancelled meanwhile: the answer is dropped
                pass

        call = Call(method, complete, on_progress, on_partial, on_result)
        future.request_id, message = self.router.register(method, params, call)
        try:
            self._write(message)
        except BaseException:  # not sent (gone server, unencodable params): nothing will answer it
            self.router.abandon(future.request_id)
            raise
        return future

    def cancel(self, request_id: int) -> None:
        """Forgets a call and asks the server to cancel it (if it was still waiting)."""
        if self.router.abandon(request_id):
            self._cancel_on_server(request_id)

    def _cancel_on_server(self, request_id: int) -> None:
        try:
            self.notify("$/cancelRequest", {"id": request_id})
        except RadarError:
            pass  # the server is gone: nothing left to cancel

    # Waiting ------------------------------------------------------------------------------------

    def wait(self, future: RadarFuture, timeout: Optional[float]) -> Any:
        """The call's result; on ``timeout`` or KeyboardInterrupt the call is cancelled on the server."""
        if threading.current_thread() is self._reader:
            raise RuntimeError("a radar_rpc callback must not wait for another call (it runs on the reader thread)")
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:  # not builtins.TimeoutError before Python 3.11
            pass
        except KeyboardInterrupt:
            future.cancel()
            raise
        assert timeout is not None
        acknowledged = False
        if self.router.is_pending(future.request_id):
            self._cancel_on_server(future.request_id)
            try:
                future.result(CANCEL_ACK_TIMEOUT)
            except Cancelled:
                acknowledged = True
            except concurrent.futures.TimeoutError:
                future.cancel()
            except RadarError:
                pass
            except KeyboardInterrupt:
                future.cancel()
                raise
        elif future.done() and not future.cancelled():
            return future.result()  # the answer arrived at the deadline
        raise RequestTimeout.after(future.method, timeout, acknowledged)

    def request(self, method: str, params: Any = None, timeout: Optional[float] = None, **callbacks: Any) -> Any:
        """Sends a request and waits for its result."""
        return self.wait(self.submit(method, params, **callbacks), timeout)

    # Reading ------------------------------------------------------------------------------------

    def _read_loop(self) -> None:
        decoder = FrameDecoder()
        stdout = self.process.stdout
        assert stdout is not None
        why: Optional[str] = None
        try:
            while True:
                chunk = stdout.read1(READ_CHUNK)  # type: ignore[attr-defined]  # BufferedReader
                if not chunk:
                    break
                for message in decoder.feed(chunk):
                    self.router.dispatch(message)
        except FramingError as error:
            why = "its output is not LSP framing: %s" % error
            _log.error("radar-rpc %s; stopping the server", why)
            self.process.kill()
        except (OSError, ValueError) as error:  # the pipe was closed under us by close()
            why = "reading its output failed: %s" % error
        finally:
            if self.closing:
                self.router.end(ended_error("the client was closed"))
            else:
                try:
                    returncode: Optional[int] = self.process.wait(EXIT_TIMEOUT)
                except subprocess.TimeoutExpired:
                    returncode = None
                self.router.end(self.lost(why, returncode))

    def lost(self, why: Optional[str], returncode: Optional[int]) -> ConnectionLost:
        """The error for a server that stopped answering: how it ended, as far as this client knows."""
        return ConnectionLost.process_ended(self.process.pid, returncode, self.spec.stderr_tail(), why)

    # Closing ------------------------------------------------------------------------------------

    def close(self) -> None:
        """The contract's lifecycle, each step bounded (see :mod:`radar_rpc._timeouts`)."""
        with self._close_lock:
            if self.closing:
                return
            self.closing = True
        on_reader = threading.current_thread() is self._reader
        try:
            # Nobody will read the answers of the calls still in flight: fail them now, and
            # tell the server, so that shutdown has nothing to wait for.
            for request_id in self.router.fail_calls(ended_error("the client was closed")):
                self._cancel_on_server(request_id)
            if self.process.poll() is None and self._reader.is_alive() and not on_reader:
                try:
                    self.submit("shutdown", None).result(shutdown_timeout(self.spec.args))
                except (RadarError, concurrent.futures.TimeoutError) as error:
                    _log.debug("shutdown: %s", error)
                try:
                    self.notify("exit")
                except RadarError as error:
                    _log.debug("exit: %s", error)
        finally:
            with self._write_lock:
                _close_quietly(self.process.stdin)
            _reap(self.process)
            if not on_reader:
                self._reader.join(READER_JOIN_TIMEOUT)
                _close_quietly(self.process.stdout)
            self.spec.close_stderr()
            self.router.end(ended_error("the client was closed"))


def _close_quietly(stream: Any) -> None:
    if stream is not None:
        try:
            stream.close()
        except OSError:
            pass


def _reap(process: "subprocess.Popen[bytes]") -> None:
    for signal_and_wait in ((None, EXIT_TIMEOUT), (process.terminate, TERMINATE_TIMEOUT), (process.kill, None)):
        send, wait = signal_and_wait
        if send is not None:
            try:
                send()
            except OSError:
                pass
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _off_the_collector(work: Callable[[], None]) -> None:
    """Runs a finalizer's work on a fresh thread: the garbage collector may call finalizers inside
    any code, even while this very thread holds the router's or the pipe's lock."""
    threading.Thread(target=work, name="radar-rpc finalizer", daemon=True).start()


def _close_collected_client(connection: _Connection) -> None:
    """A RadarClient dropped without close(), or left open at interpreter exit."""
    if threading.main_thread().is_alive():
        _off_the_collector(connection.close)
    else:  # interpreter exit (threading has shut down): nothing else runs, so close here and wait
        connection.close()


def _unsubscribe_collected(connection: _Connection, subscription: str) -> None:
    """A subscription dropped without close(): stop its updates without waiting for the answer."""

    def unsubscribe() -> None:
        connection.router.remove_sink(subscription)
        if not connection.closing:
            try:
                connection.submit("radar.unsubscribe", {"subscription": subscription})
            except RadarError:
                pass

    if threading.main_thread().is_alive():
        _off_the_collector(unsubscribe)


class Subscription(SubscriptionBase):
    """The updates of one ``radar.subscribe``, as an iterator of :class:`Update`.

    The first update comes at once, then one each time a poll brings a different result (or
    fails). ``close()``, leaving the ``with`` block, or dropping the object (``break`` out of
    the loop and let it go) unsubscribes. Iteration stops when it is closed or the client is;
    it raises :class:`ConnectionLost` if the server died.
    """

    def __init__(
        self, client: "RadarClient", connection: _Connection, subscription: str, updates: "queue.SimpleQueue[Any]"
    ) -> None:
        super().__init__(client, connection, subscription, updates.put, _unsubscribe_collected)
        self._updates = updates

    def __iter__(self) -> "Subscription":
        return self

    def __next__(self) -> Update:
        return self.next()

    def next(self, timeout: Optional[float] = None) -> Update:
        """The next update, waiting at most ``timeout`` seconds (TimeoutError), or StopIteration."""
        if self._closed:
            raise StopIteration
        try:
            item = self._updates.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError("no update of %s within %ss" % (self.id, timeout)) from None
        return self._take(item, StopIteration)

    def close(self, timeout: float = UNSUBSCRIBE_TIMEOUT) -> None:
        """Unsubscribes (waiting at most ``timeout``) and ends iteration; idempotent."""
        if self._begin_close():
            try:
                self._connection.request("radar.unsubscribe", {"subscription": self.id}, timeout)
            except (InvalidParams, ConnectionLost):
                pass  # already ended on the server, or the server is gone

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class RadarClient(ClientBase, RadarMethods):
    """A radar-rpc server process and a synchronous client for it.

    >>> with RadarClient(demo=True) as radar:
    ...     result = radar.netflows_timeseries_groups("PRODUCT", date_range="7d")

    Args:
        binary: the radar-rpc executable (default: ``$RADAR_RPC_BIN``, the repository's
            ``.build/{release,debug}``, then ``PATH``).
        demo: answer from the server's embedded synthetic Radar (no token, no network).
        base_url: Cloudflare API base URL (``--base-url``).
        api_token: a Cloudflare API token, passed in ``initialize`` (never on the command line);
            otherwise the server reads ``CLOUDFLARE_API_TOKEN`` or ``CLOUDFLARE_EMAIL`` +
            ``CLOUDFLARE_API_KEY`` from the environment, which is passed through.
        args: more command-line options (``["--cache-ttl", "0"]``).
        env: environment changes for the server (a value of None removes the variable).
        stderr: where the server's log goes: None (this process's stderr), a path, a file,
            or ``subprocess.DEVNULL``.
        log_level: the server's ``--log-level`` (error, warn, info, debug).
        timeout: default ``timeout`` in seconds of every call (None: wait as long as it takes).
    """

    def _created(self) -> None:
        self._connection = _Connection(self._spec)
        self._finalizer = weakref.finalize(self, _close_collected_client, self._connection)
        if self._api_token is not None:
            try:
                self.initialize(api_token=self._api_token)
            except BaseException:
                self.close()
                raise

    def __repr__(self) -> str:
        state = "closed" if self._connection.closing else "pid %d" % self.pid
        return "<RadarClient %s>" % state

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self._connection.process.pid

    @property
    def returncode(self) -> Optional[int]:
        """The server's exit code once it has exited (after close()), else None."""
        return self._connection.process.poll()

    def call(
        self,
        method: str,
        params: Any = None,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
    ) -> Any:
        """Calls any method with params as given (wire names) and returns the raw JSON result."""
        return self._connection.request(
            method, to_json_value(params), self._timeout(timeout), on_progress=on_progress, on_partial=on_partial
        )

    def submit(
        self,
        method: str,
        params: Any = None,
        *,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
    ) -> RadarFuture:
        """Sends a request and returns at once: a future of the raw result (see :func:`result_from_json`)."""
        return self._connection.submit(method, to_json_value(params), on_progress, on_partial)

    def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification (no answer)."""
        self._connection.notify(method, to_json_value(params))

    def _radar_call(
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
        raw = self._connection.request(
            method, params, self._timeout(timeout), on_progress=on_progress, on_partial=on_partial
        )
        return result_from_json(raw)

    def initialize(self, *, api_token: Optional[str] = None, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The LSP-style handshake (optional): returns ``{serverInfo, capabilities, backend}``.

        ``api_token`` is used by the server instead of the environment's credentials.
        """
        result = self._connection.request("initialize", initialize_params(api_token), self._timeout(timeout))
        self._connection.notify("initialized", {})
        self.server_info = result
        return dict(result)

    def stats(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The server's counters (``server.stats``)."""
        return dict(self._connection.request("server.stats", None, self._timeout(timeout)))

    def discover(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """The server's OpenRPC document (``rpc.discover``)."""
        return dict(self._connection.request("rpc.discover", None, self._timeout(timeout)))

    def subscribe(
        self,
        method: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        interval_seconds: int = 60,
        timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> Subscription:
        """Polls a Radar method every ``interval_seconds`` and yields its changes.

        ``method`` by its JSON-RPC or Python name (``"radar.netflows.timeseriesGroups"`` or
        ``"netflows_timeseries_groups"``); its params as a mapping of wire names and/or as
        keyword arguments (Python or wire names)::

            with radar.subscribe("netflows_timeseries_groups", dimension="PRODUCT", date_range="1d") as updates:
                for update in updates:
                    print(update.unwrap().series)
        """
        updates: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        router = self._connection.router

        def register(result: Any) -> None:  # on the reader, before any radar/update of it is routed
            router.add_sink(result["subscription"], updates.put)

        result = self._connection.request(
            "radar.subscribe",
            subscription_params(method, params, kwargs, interval_seconds),
            self._timeout(timeout),
            on_result=register,
        )
        return Subscription(self, self._connection, result["subscription"], updates)

    def close(self) -> None:
        """Stops the server cleanly (``shutdown``, ``exit``, bounded waits, then signals); idempotent."""
        self._finalizer.detach()
        self._connection.close()

    @property
    def closed(self) -> bool:
        """True once close() has begun."""
        return self._connection.closing

    def __enter__(self) -> "RadarClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
