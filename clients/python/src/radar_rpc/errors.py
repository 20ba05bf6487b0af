"""Exceptions: one class per error code of the radar-rpc contract, plus the client's own.

Every server error is a :class:`RadarError` with ``code``, ``message`` and ``data`` as sent;
subclasses read ``data`` into attributes (``InvalidParams.errors``, ``RateLimited.retry_after``, …)
and ``str()`` gives the message with those details, so a traceback says what went wrong.
"""

from __future__ import annotations

import signal
from typing import Any, ClassVar, Dict, List, Mapping, NamedTuple, Optional, Type

__all__ = [
    "RadarError",
    "ParseError",
    "InvalidRequest",
    "MethodNotFound",
    "InvalidParams",
    "Violation",
    "InternalError",
    "Cancelled",
    "ServerCancelled",
    "RequestTimeout",
    "UpstreamError",
    "RateLimited",
    "Unavailable",
    "AuthError",
    "SubscriptionLimit",
    "ConnectionLost",
    "BinaryNotFound",
    "ERROR_CLASSES",
    "error_from_object",
]


class RadarError(Exception):
    """Base of every radar-rpc error. ``code`` is the JSON-RPC error code (None for client-side errors)."""

    CODE: ClassVar[Optional[int]] = None

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code: Optional[int] = code if code is not None else self.CODE
        self.data: Any = data

    def details(self) -> str:
        """What ``data`` adds to the message, for tracebacks; subclasses override."""
        return ""

    def __str__(self) -> str:
        text = self.message if self.code is None else "[%d] %s" % (self.code, self.message)
        details = self.details()
        if not details:
            return text
        return text + details if details.startswith("\n") else "%s: %s" % (text, details)

    def _new(self, *parts: str) -> str:
        """``parts`` that the server's message does not already say, joined."""
        message = self.message.lower()
        return "; ".join(p for p in parts if p and p.lower() not in message)

    def __repr__(self) -> str:
        return "%s(code=%r, message=%r, data=%r)" % (type(self).__name__, self.code, self.message, self.data)

    def __reduce__(self) -> Any:  # keeps pickling/copying working despite the keyword constructor
        return (type(self), (self.message, self.code, self.data))


def _data(error: RadarError) -> Mapping[str, Any]:
    return error.data if isinstance(error.data, Mapping) else {}


class ParseError(RadarError):
    """-32700: the server could not parse a message as JSON."""

    CODE = -32700


class InvalidRequest(RadarError):
    """-32600: not a valid request object, a frame too large, or a request after ``shutdown``."""

    CODE = -32600


class MethodNotFound(RadarError):
    """-32601: unknown method; ``did_you_mean`` lists close names."""

    CODE = -32601

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.method: Optional[str] = _data(self).get("method")
        self.did_you_mean: List[str] = list(_data(self).get("didYouMean") or [])

    def details(self) -> str:
        if self.did_you_mean and not all(name in self.message for name in self.did_you_mean):
            return "did you mean %s?" % " or ".join(repr(name) for name in self.did_you_mean)
        return self._new(self.method or "")


class Violation(NamedTuple):
    """One failed check of the params: a JSON Pointer into them, a message, maybe a suggestion."""

    path: str
    message: str
    did_you_mean: Optional[Any] = None


class InvalidParams(RadarError):
    """-32602: the params fail the method's schema; ``errors`` lists every violation."""

    CODE = -32602

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.errors: List[Violation] = [
            Violation(str(item.get("path", "")), str(item.get("message", "")), item.get("didYouMean"))
            for item in _data(self).get("errors") or []
            if isinstance(item, Mapping)
        ]

    def details(self) -> str:
        """Every violation on its own line (the server's message names the first only)."""
        return "".join("\n  %s: %s" % (v.path or "(params)", v.message) for v in self.errors)


class InternalError(RadarError):
    """-32603: a bug in the server."""

    CODE = -32603


class Cancelled(RadarError):
    """-32800: the request was cancelled (``$/cancelRequest``)."""

    CODE = -32800


class ServerCancelled(Cancelled):
    """-32802: the server gave up on the request: its shutdown grace ran out, ``exit`` came, a signal, or
    its drain deadline passed at end of input (contract §3, §4)."""

    CODE = -32802


class RequestTimeout(Cancelled, TimeoutError):
    """The call's ``timeout`` passed: the client sent ``$/cancelRequest``.

    ``acknowledged`` tells whether the server answered the cancellation (-32800) within
    the client's grace period; ``timeout`` is the limit that passed, in seconds.
    """

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.timeout: Optional[float] = _data(self).get("timeout")
        self.acknowledged: bool = bool(_data(self).get("acknowledged"))

    @classmethod
    def after(cls, method: str, timeout: float, acknowledged: bool) -> "RequestTimeout":
        """The error for ``method`` after ``timeout`` seconds."""
        return cls(
            "%s took longer than %gs and was cancelled" % (method, timeout),
            None,
            {"timeout": timeout, "acknowledged": acknowledged},
        )

    def details(self) -> str:
        return "the server confirmed the cancellation" if self.acknowledged else "no confirmation from the server"


class _CloudflareErrors(RadarError):
    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.http_status: Optional[int] = _data(self).get("httpStatus")
        self.cloudflare_errors: List[Dict[str, Any]] = [
            dict(item) for item in _data(self).get("errors") or [] if isinstance(item, Mapping)
        ]

    def details(self) -> str:
        status = "HTTP %s" % self.http_status if self.http_status is not None else ""
        said = self.message.lower()

        def described(error: Mapping[str, Any]) -> str:  # the code alone when the message quotes the text
            text = str(error.get("message", ""))
            quoted = bool(text) and text.lower() in said
            return "Cloudflare error %s" % error.get("code", "?") + ("" if quoted else ": " + text)

        return self._new(status, *(described(e) for e in self.cloudflare_errors))


class UpstreamError(_CloudflareErrors):
    """-32001: Cloudflare answered with an error; ``http_status`` and ``cloudflare_errors`` as sent."""

    CODE = -32001


class AuthError(_CloudflareErrors):
    """-32005: no credentials, or Cloudflare rejected them (401/403 or an authentication error code)."""

    CODE = -32005


class RateLimited(RadarError):
    """-32003: Cloudflare answered 429 and the server's retries did not get through."""

    CODE = -32003

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.http_status: Optional[int] = _data(self).get("httpStatus")
        retry_after = _data(self).get("retryAfterSeconds")
        self.retry_after: Optional[float] = float(retry_after) if isinstance(retry_after, (int, float)) else None

    def details(self) -> str:
        status = "HTTP %s" % self.http_status if self.http_status is not None else ""
        said = "retry after" in self.message.lower()
        return self._new(status, "" if said or self.retry_after is None else "retry after %gs" % self.retry_after)


class Unavailable(RadarError):
    """-32004: Cloudflare is unreachable, timed out, or sent a body that is not the documented JSON."""

    CODE = -32004

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.reason: Optional[str] = _data(self).get("reason")

    def details(self) -> str:
        return self._new(self.reason or "")


class SubscriptionLimit(RadarError):
    """-32006: the server already has ``limit`` live subscriptions (``--max-subscriptions``)."""

    CODE = -32006

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.limit: Optional[int] = _data(self).get("limit")


class ConnectionLost(RadarError):
    """The server process is gone or its pipes are closed (client side).

    ``returncode`` is the exit code (negative: the signal that killed it, as :mod:`subprocess`
    says), ``signal`` that signal's name, ``stderr`` the server's last lines on standard error
    when the client captured them (``stderr=`` a path); each is None when not known.
    """

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        super().__init__(message, code, data)
        self.returncode: Optional[int] = _data(self).get("returncode")
        self.signal: Optional[str] = _data(self).get("signal")
        self.stderr: Optional[str] = _data(self).get("stderr")

    @classmethod
    def process_ended(
        cls, pid: int, returncode: Optional[int], stderr: Optional[str] = None, why: Optional[str] = None
    ) -> "ConnectionLost":
        """The error for a server that stopped answering: what ended it, as far as it is known."""
        data: Dict[str, Any] = {}
        if returncode is None:
            how = "closed its output but has not exited"
        elif returncode < 0:
            data["returncode"], data["signal"] = returncode, _signal_name(-returncode)
            how = "was killed by signal %d (%s)" % (-returncode, data["signal"])
        else:
            data["returncode"] = returncode
            how = "exited with code %d" % returncode
        message = "radar-rpc (pid %d) %s" % (pid, how)
        if why:
            message += " (%s)" % why
        if stderr:
            data["stderr"] = stderr
            message += "; the last lines of its standard error:" + "".join("\n  " + line for line in stderr.splitlines())
        return cls(message, None, data or None)



def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "signal %d" % number


class BinaryNotFound(RadarError, FileNotFoundError):
    """No radar-rpc executable was found; ``tried`` lists each place looked at and why it failed."""

    def __init__(self, message: str, code: Optional[int] = None, data: Any = None) -> None:
        RadarError.__init__(self, message, code, data)
        self.tried: List[str] = list(_data(self).get("tried") or [])

    def details(self) -> str:
        return "".join("\n  - " + line for line in self.tried)


ERROR_CLASSES: Dict[int, Type[RadarError]] = {
    cls.CODE: cls
    for cls in (
        ParseError,
        InvalidRequest,
        MethodNotFound,
        InvalidParams,
        InternalError,
        Cancelled,
        ServerCancelled,
        UpstreamError,
        RateLimited,
        Unavailable,
        AuthError,
        SubscriptionLimit,
    )
    if cls.CODE is not None
}
"""Contract code → exception class; codes not listed become a plain :class:`RadarError`."""


def error_from_object(error: Any) -> RadarError:
    """The exception for a JSON-RPC error object ``{"code", "message", "data"?}``."""
    if not isinstance(error, Mapping):
        return RadarError("malformed error object from the server: %r" % (error,))
    code = error.get("code")
    message = str(error.get("message", "")) or "error"
    cls = ERROR_CLASSES.get(code, RadarError) if isinstance(code, int) else RadarError
    return cls(message, code if isinstance(code, int) else None, error.get("data"))
