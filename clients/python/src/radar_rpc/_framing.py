"""LSP base-protocol framing: ``Content-Length: N\\r\\n\\r\\n`` then N bytes of UTF-8 JSON.

The length counts bytes, never characters: a series named "Zürich" must not desync the stream.
The decoder is incremental and has no line or message limit of its own (unlike asyncio's
64 KiB ``StreamReader`` lines): it buffers until the announced length is there, so a 10 MiB
result reads like a small one. Both clients feed it whatever chunks their pipe delivers.
"""

from __future__ import annotations

import json
import logging
from typing import Any, List, Optional

__all__ = ["FramingError", "FrameDecoder", "encode_message"]

_log = logging.getLogger("radar_rpc")

HEADER_END = b"\r\n\r\n"
# Headers are two short lines at most; more than this without a blank line is not LSP framing.
MAX_HEADER_BYTES = 8192


class FramingError(Exception):
    """The server's output is not LSP framing (the stream cannot be resynchronised)."""


def encode_message(message: Any) -> bytes:
    """One JSON-RPC message as a frame: the canonical header spelling first, the byte length.

    A string holding a lone surrogate (which UTF-8 cannot carry) is sent as a ``\\uD800`` escape,
    so the server answers it -32602 at its path like any other bad value. Raises TypeError for a
    value JSON has no form for (a set, an object) and ValueError for NaN and infinities (RFC 8259
    numbers are finite), naming the value, before anything is sent.
    """
    try:
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as error:  # NaN or an infinity
        raise ValueError("radar-rpc params must be JSON, which has no NaN or infinity: %s" % error) from None
    except TypeError as error:  # "Object of type set is not JSON serializable"
        raise TypeError("radar-rpc params must be JSON values (dict, list, str, int, float, bool, None): %s" % error) from None
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, ASCII only, for the server to judge
        body = json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class FrameDecoder:
    """Turns chunks of the server's standard output into decoded JSON messages."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._body_length: Optional[int] = None

    def feed(self, chunk: bytes) -> List[Any]:
        """Adds a chunk; returns every message completed by it, in order."""
        self._buffer += chunk
        messages: List[Any] = []
        while True:
            if self._body_length is None:
                end = self._buffer.find(HEADER_END)
                if end < 0:
                    if len(self._buffer) > MAX_HEADER_BYTES:
                        raise FramingError("no end of header in %d bytes of server output" % len(self._buffer))
                    return messages
                self._body_length = _content_length(bytes(self._buffer[:end]))
                del self._buffer[: end + len(HEADER_END)]
            if len(self._buffer) < self._body_length:
                return messages
            body = bytes(self._buffer[: self._body_length])
            del self._buffer[: self._body_length]
            self._body_length = None
            try:
                messages.append(json.loads(body.decode("utf-8")))
            except ValueError as error:
                # The length was right, so the stream is still in step: skip this frame only.
                _log.error("radar-rpc sent a frame that is not JSON (%s); skipped", error)

    @property
    def pending_bytes(self) -> int:
        """Bytes received but not yet part of a whole message."""
        return len(self._buffer)


def _content_length(header: bytes) -> int:
    length: Optional[int] = None
    for line in header.split(b"\r\n"):
        name, sep, value = line.partition(b":")
        if not sep:
            raise FramingError("malformed header line %r" % line[:80])
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise FramingError("Content-Length is not a number: %r" % value[:80]) from None
    if length is None or length < 0:
        raise FramingError("header without a Content-Length: %r" % header[:200])
    return length
