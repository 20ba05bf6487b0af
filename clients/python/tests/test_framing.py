"""LSP framing: byte lengths, chunk boundaries, header variants, large frames, broken input."""

from __future__ import annotations

import json

import pytest

from radar_rpc._framing import FrameDecoder, FramingError, encode_message


def test_length_counts_utf8_bytes_not_characters() -> None:
    frame = encode_message({"name": "Zürich ☃ 🚀"})
    header, body = frame.split(b"\r\n\r\n", 1)
    assert header == b"Content-Length: %d" % len(body)
    assert len(body) > len(body.decode("utf-8"))  # multi-byte characters were counted as bytes
    assert json.loads(body) == {"name": "Zürich ☃ 🚀"}


def test_decodes_frames_split_at_every_byte() -> None:
    messages = [{"id": 1, "result": "é"}, {"id": 2, "result": [1, 2, 3]}]
    stream = b"".join(encode_message(m) for m in messages)
    decoder = FrameDecoder()
    received = []
    for i in range(len(stream)):
        received += decoder.feed(stream[i : i + 1])
    assert received == messages
    assert decoder.pending_bytes == 0


def test_decodes_several_frames_in_one_chunk_and_any_header_spelling() -> None:
    body = b'{"a":1}'
    stream = (
        b"content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
        + body
        + b"Content-Type: x\r\nCONTENT-LENGTH:7\r\n\r\n"
        + body
    )
    assert FrameDecoder().feed(stream) == [{"a": 1}, {"a": 1}]


def test_large_frame_has_no_line_limit() -> None:
    big = {"csv": "x" * (5 * 1024 * 1024)}
    frame = encode_message(big)
    decoder = FrameDecoder()
    out = []
    for start in range(0, len(frame), 65536):
        out += decoder.feed(frame[start : start + 65536])
    assert out == [big]


def test_a_body_that_is_not_json_is_skipped_and_the_stream_goes_on() -> None:
    stream = b"Content-Length: 3\r\n\r\nabc" + encode_message({"ok": True})
    assert FrameDecoder().feed(stream) == [{"ok": True}]


@pytest.mark.parametrize(
    "stream",
    [b"Content-Type: x\r\n\r\n{}", b"Content-Length: many\r\n\r\n{}", b"garbage without colon\r\n\r\n", b"x" * 9000],
)
def test_unsynchronisable_output_is_a_framing_error(stream: bytes) -> None:
    with pytest.raises(FramingError):
        FrameDecoder().feed(stream)
