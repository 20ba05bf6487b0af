// The frame decoder on its own: adversarial chunking, byte counts, multi-byte UTF-8, bad headers.

import assert from 'node:assert/strict';
import { FrameDecoder, ProtocolError, encodeFrame, parseBody } from '../src/framing.js';
import { test } from '../test-support/helpers.js';

const messages = [
  { jsonrpc: '2.0', id: 1, result: { text: 'plain ascii' } },
  { jsonrpc: '2.0', id: 2, result: { text: 'é ü ß — “quotes” 日本語 한국어 🎉🚀 𝄞', key: 'Ω' } },
  { jsonrpc: '2.0', method: '$/progress', params: { token: 0, value: { kind: 'begin', title: 'ñ' } } },
  { jsonrpc: '2.0', id: 'x', error: { code: -32602, message: 'Invalid params', data: { errors: [] } } },
  { jsonrpc: '2.0', id: 3, result: { big: 'ä'.repeat(70_000) + '🎉'.repeat(10_000) } },
];
const stream = Buffer.concat(messages.map(encodeFrame));

function decodeAll(chunks, decoder = new FrameDecoder()) {
  const out = [];
  for (const chunk of chunks) for (const frame of decoder.push(chunk)) out.push(frame instanceof ProtocolError ? frame : parseBody(frame));
  return { out, decoder };
}

// A small deterministic PRNG, so a failure is reproducible.
function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('encodeFrame counts UTF-8 bytes, not characters', () => {
  const frame = encodeFrame({ s: '🎉é' });
  const text = frame.toString('latin1');
  const length = Number(/^Content-Length: (\d+)\r\n\r\n/.exec(text)[1]);
  assert.equal(length, Buffer.byteLength(JSON.stringify({ s: '🎉é' }), 'utf8'));
  assert.equal(length, frame.length - text.indexOf('\r\n\r\n') - 4);
  assert.notEqual(length, JSON.stringify({ s: '🎉é' }).length); // characters would be wrong
});

test('all frames in one chunk', () => {
  const { out, decoder } = decodeAll([stream]);
  assert.deepEqual(out, messages);
  assert.equal(decoder.bufferedBytes, 0);
});

test('one byte per chunk, so every multi-byte character and every header is split', () => {
  const chunks = [];
  for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
  assert.deepEqual(decodeAll(chunks).out, messages);
});

test('random splits (1000 seeds), including splits inside the CRLFCRLF and inside characters', () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const next = random(seed);
    const chunks = [];
    for (let at = 0; at < stream.length;) {
      const size = next() < 0.3 ? 1 + Math.floor(next() * 4) : 1 + Math.floor(next() * 40_000);
      chunks.push(stream.subarray(at, at + size));
      at += size;
    }
    assert.deepEqual(decodeAll(chunks).out, messages, `seed ${seed}`);
  }
});

test('every split point of a multi-byte frame gives the same message', () => {
  const frame = encodeFrame(messages[1]);
  for (let i = 0; i <= frame.length; i++) {
    assert.deepEqual(decodeAll([frame.subarray(0, i), frame.subarray(i)]).out, [messages[1]], `split at ${i}`);
  }
});

test('a partial frame stays buffered until its last byte', () => {
  const frame = encodeFrame(messages[4]);
  const decoder = new FrameDecoder();
  assert.deepEqual(decoder.push(frame.subarray(0, frame.length - 1)), []);
  const headerLength = frame.indexOf('\r\n\r\n') + 4;
  assert.equal(decoder.bufferedBytes, frame.length - 1 - headerLength); // the header is consumed
  const [body] = decoder.push(frame.subarray(frame.length - 1));
  assert.deepEqual(parseBody(body), messages[4]);
  assert.equal(decoder.bufferedBytes, 0);
});

test('header names are case-insensitive; Content-Type and bare LF line ends are accepted', () => {
  const body = Buffer.from(JSON.stringify({ id: 1, result: 'ü' }));
  const input = Buffer.concat([
    Buffer.from(`content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  ${body.length} \r\n\r\n`),
    body,
    Buffer.from(`Content-Length: ${body.length}\n\n`),
    body,
  ]);
  assert.deepEqual(decodeAll([input]).out, [{ id: 1, result: 'ü' }, { id: 1, result: 'ü' }]);
});

test('a header without a usable Content-Length is reported and the next frame is still read', () => {
  const good = encodeFrame({ id: 7 });
  const input = Buffer.concat([Buffer.from('Content-Type: x\r\n\r\n'), Buffer.from('Content-Length: 1e3\r\n\r\n'), good]);
  const { out } = decodeAll([input]);
  assert.equal(out.length, 3);
  assert.ok(out[0] instanceof ProtocolError && /no Content-Length/.test(out[0].message));
  assert.ok(out[1] instanceof ProtocolError && /not a number/.test(out[1].message));
  assert.deepEqual(out[2], { id: 7 });
});

test('an oversized body is skipped without being buffered', () => {
  const decoder = new FrameDecoder({ maxBodyBytes: 10 });
  const big = encodeFrame({ s: 'x'.repeat(1000) });
  const small = encodeFrame({ s: 1 });
  const { out } = decodeAll([big.subarray(0, 30), big.subarray(30), small], decoder);
  assert.ok(out[0] instanceof ProtocolError && /exceeds/.test(out[0].message));
  assert.deepEqual(out.slice(1), [{ s: 1 }]);
  assert.equal(decoder.bufferedBytes, 0);
});

test('a header that never ends is an error, not unbounded buffering', () => {
  const decoder = new FrameDecoder({ maxHeaderBytes: 64 });
  const out = decoder.push(Buffer.from('X'.repeat(200)));
  assert.ok(out.length === 1 && out[0] instanceof ProtocolError, 'reported once');
  assert.ok(decoder.bufferedBytes < 64);
  // the garbage ends with an empty line; the next frame is read again
  const next = decoder.push(Buffer.concat([Buffer.from('XXXX\r\n\r\n'), encodeFrame({ id: 9 })]));
  assert.deepEqual(next.map(parseBody), [{ id: 9 }]);
});

test('parseBody rejects invalid UTF-8 and non-JSON with ProtocolError', () => {
  assert.throws(() => parseBody(Buffer.from([0x7b, 0xc3, 0x7d])), ProtocolError); // truncated 2-byte sequence
  assert.throws(() => parseBody(Buffer.from('{nope')), ProtocolError);
});

test('a 4 MiB frame in 64 KiB chunks decodes whole (its time, linear in the size, is measured by bench/clients.py)', () => {
  const frame = encodeFrame({ s: 'é'.repeat(2 * 1024 * 1024) });
  const chunks = [];
  for (let i = 0; i < frame.length; i += 65536) chunks.push(frame.subarray(i, i + 65536));
  const { out } = decodeAll(chunks);
  assert.equal(out.length, 1);
  assert.equal(out[0].s, 'é'.repeat(2 * 1024 * 1024));
});
