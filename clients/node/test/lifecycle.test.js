// Spawning, disposal and a server that goes away: no orphan, no call left hanging.

import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RadarClient, RadarConnectionError, RadarSpawnError, resolveBinary } from '../src/index.js';
import { demoClient, fakeClient, isAlive, rejection, repositoryRoot, waitFor, within, test } from '../test-support/helpers.js';

test('dispose: shutdown, exit 0, process gone, idempotent, later calls reject', async (t) => {
  const client = demoClient(t);
  await client.initialize();
  const pid = client.pid;
  assert.ok(isAlive(pid));
  const first = client.dispose();
  assert.equal(client.dispose(), first, 'the same promise');
  assert.deepEqual(await first, { code: 0, signal: null });
  assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  assert.deepEqual(client.exitStatus, { code: 0, signal: null });
  const error = await rejection(client.stats());
  assert.ok(error instanceof RadarConnectionError);
  assert.match(error.message, /server\.stats: radar-rpc client is disposed/);
  assert.throws(() => client.notify('initialized', {}), RadarConnectionError);
  assert.deepEqual(await client.dispose(), { code: 0, signal: null });
});

test('dispose with a call in flight: the call rejects with RadarConnectionError, no orphan', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 20_000 });
  const slow = client.radar.netflows.timeseriesGroups({ dimension: 'AS', dateRange: '3d' });
  await waitFor(async () => (await client.stats()).inFlight >= 1, { what: 'the call in flight' });
  const started = Date.now();
  const status = await client.dispose();
  assert.ok(Date.now() - started < 5000, 'dispose does not wait for the slow call');
  assert.equal(isAlive(client.pid), false);
  assert.ok(status.code !== null || status.signal !== null);
  const error = await rejection(slow);
  assert.ok(error instanceof RadarConnectionError, String(error));
});

test('the server exiting mid-call (half a frame written) rejects the pending call with a clear error', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'die-mid-call');
  const other = client.call('other.pending', {});
  const error = await rejection(client.call('anything', {}));
  assert.ok(error instanceof RadarConnectionError, String(error));
  assert.equal(error.exitCode, 3);
  assert.match(error.message, /anything: radar-rpc \(pid \d+\) exited with code 3 before answering/);
  assert.match(error.message, /simulated crash/, 'the server\'s last stderr is in the message');
  assert.match(error.stderr, /fatal: simulated crash/);
  assert.ok((await rejection(other)) instanceof RadarConnectionError, 'every pending call rejects');
  assert.deepEqual(await client.exited, { code: 3, signal: null });
  assert.ok((await rejection(client.call('later'))) instanceof RadarConnectionError, 'calls after the exit reject at once');
});

test('the server killed mid-call: pending calls reject naming the signal', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 20_000 });
  const slow = client.radar.ct.timeseriesGroups({ dimension: 'TLD' });
  await waitFor(async () => (await client.stats()).inFlight >= 1, { what: 'the call in flight' });
  process.kill(client.pid, 'SIGKILL');
  const error = await rejection(slow);
  assert.ok(error instanceof RadarConnectionError);
  assert.equal(error.signal, 'SIGKILL');
  assert.match(error.message, /killed by SIGKILL/);
});

test('a server that ignores shutdown, exit and end of input is killed after the timeout', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'deaf');
  const pending = client.call('never.answered', {});
  const started = Date.now();
  const status = await client.dispose({ timeoutMs: 400 });
  assert.deepEqual(status, { code: null, signal: 'SIGKILL' });
  assert.ok(Date.now() - started < 3000);
  assert.equal(isAlive(client.pid), false);
  assert.ok((await rejection(pending)) instanceof RadarConnectionError);
});

test('frames written one byte at a time, and several frames plus half of the next in one write', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'chunked');
  const text = 'é ü — 日本語 🎉 𝄞';
  const one = await client.call('echo', { n: 1, s: '日本' });
  assert.deepEqual(one, { echo: { n: 1, s: '日本' }, text });
  const batch = await Promise.all([1, 2, 3, 4].map((n) => client.call('echo', { n, batch: 4, s: '🎉'.repeat(n) })));
  assert.deepEqual(batch.map((r) => r.echo.n), [1, 2, 3, 4]);
  assert.deepEqual(batch.map((r) => r.echo.s), ['🎉', '🎉🎉', '🎉🎉🎉', '🎉🎉🎉🎉']);
  assert.ok(batch.every((r) => r.text === text));
});

test('standard error is drained: a server that logs megabytes does not block', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'stderr-flood');
  let lines = 0;
  client.on('stderr', () => lines++);
  const result = await within(client.call('flood', {}), 10_000, 'blocked: stderr not drained');
  assert.deepEqual(result, { flooded: true });
  await waitFor(() => lines >= 70_000, { what: 'every stderr line' });
  assert.ok(client.stderr.split('\n').length <= 20, 'only a bounded tail is kept');
});

test('binary resolution: explicit choices that do not exist are errors naming what was tried', () => {
  const missing = join(repositoryRoot, 'no-such-dir', 'radar-rpc');
  assert.throws(() => new RadarClient({ bin: missing }), (error) =>
    error instanceof RadarSpawnError && error.tried.includes(missing) && error.message.includes('bin option'));
  assert.throws(() => resolveBinary({ env: { RADAR_RPC_BIN: missing, PATH: '' } }), (error) =>
    error instanceof RadarSpawnError && error.message.includes('RADAR_RPC_BIN') && error.tried.includes(missing));
  assert.throws(() => resolveBinary({ bin: 'no-such-radar-rpc', env: { PATH: '/nonexistent' } }), (error) =>
    error instanceof RadarSpawnError && error.tried.includes('/nonexistent/no-such-radar-rpc'));
});

test('binary resolution without a choice: the bundled binary, the newer repository build, then PATH', () => {
  // A checkout has no bin/radar-rpc; the package scripts/package builds does (scripts/test-packages).
  const bundled = join(repositoryRoot, 'clients', 'node', 'bin', 'radar-rpc');
  assert.ok(!existsSync(bundled));
  const release = join(repositoryRoot, '.build', 'release', 'radar-rpc');
  const debug = join(repositoryRoot, '.build', 'debug', 'radar-rpc');
  const built = [release, debug].filter((p) => existsSync(p));
  const expected = built.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (expected) {
    assert.equal(resolveBinary({ env: { PATH: '' } }), expected);
  } else {
    assert.throws(() => resolveBinary({ env: { PATH: '' } }), (error) =>
      error instanceof RadarSpawnError && error.tried[0] === bundled && error.tried[1] === release &&
      error.tried[2] === debug && /swift build/.test(error.message));
  }
  const viaPath = resolveBinary({ env: { RADAR_RPC_BIN: 'node', PATH: process.env.PATH } });
  assert.ok(viaPath.endsWith('/node'), 'a bare name is looked up on PATH');
});
