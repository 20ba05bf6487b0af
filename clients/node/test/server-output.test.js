// The real server's output bytes, recorded once and re-chunked every way a pipe could split them:
// the decoder must give the same messages whatever the chunk boundaries.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolveBinary } from '../src/index.js';
import { FrameDecoder, ProtocolError, encodeFrame, parseBody } from '../src/framing.js';
import { test } from '../test-support/helpers.js';

const requests = [
  { jsonrpc: '2.0', id: 1, method: 'rpc.discover' }, // ~80 KB, with '…' in descriptions
  { jsonrpc: '2.0', id: 2, method: 'radar.ct.timeseriesGroups', params: { dimension: 'CA', 'lôcation': '日本🎉' } },
  { jsonrpc: '2.0', id: 3, method: 'radar.netflows.timeseriesGroups', params: { dimension: 'AS', name: 'ü🎉' } },
  { jsonrpc: '2.0', id: 4, method: 'server.stats' },
];

// Runs `radar-rpc --demo` on the requests and returns everything it wrote (it exits at end of input).
async function record() {
  const server = spawn(resolveBinary(), ['--demo', '--framing', 'lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const chunks = [];
  server.stdout.on('data', (chunk) => chunks.push(chunk));
  server.stdin.end(Buffer.concat(requests.map(encodeFrame)));
  const code = await new Promise((resolve) => server.on('close', resolve));
  assert.equal(code, 0);
  return Buffer.concat(chunks);
}

function decode(chunks) {
  const decoder = new FrameDecoder();
  const out = [];
  for (const chunk of chunks) {
    for (const frame of decoder.push(chunk)) {
      assert.ok(!(frame instanceof ProtocolError), String(frame));
      out.push(parseBody(frame));
    }
  }
  assert.equal(decoder.bufferedBytes, 0, 'nothing left over');
  return out;
}

test('the real server output decodes the same in one chunk, byte by byte, and split inside every character', async () => {
  const bytes = await record();
  const whole = decode([bytes]);
  assert.deepEqual(whole.map((m) => m.id).sort(), [1, 2, 3, 4], 'several frames in one chunk');
  const byId = Object.fromEntries(whole.map((m) => [m.id, m]));
  assert.ok(JSON.stringify(byId[1].result).includes('…'));
  assert.equal(byId[2].error.code, -32602);
  assert.equal(byId[2].error.data.errors[0].path, '/lôcation');
  assert.ok('ü🎉' in byId[3].result, 'the series keyed by a multi-byte name');

  const oneByte = [];
  for (let i = 0; i < bytes.length; i++) oneByte.push(bytes.subarray(i, i + 1));
  assert.deepEqual(decode(oneByte), whole);

  // Every offset that falls inside a multi-byte UTF-8 sequence (a continuation byte 10xxxxxx).
  let splits = 0;
  for (let i = 1; i < bytes.length; i++) {
    if ((bytes[i] & 0xc0) !== 0x80) continue;
    splits++;
    assert.deepEqual(decode([bytes.subarray(0, i), bytes.subarray(i)]), whole, `split at byte ${i}`);
  }
  assert.ok(splits >= 20, `${splits} splits inside characters`);
});
