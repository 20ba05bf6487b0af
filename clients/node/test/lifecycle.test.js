// Spawning, disposal and a server that goes away: no orphan, no call left hanging.

import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RadarClient, RadarConnectionError, RadarSpawnError, resolveBinary } from '../src/index.js';
import { SHUTDOWN_GRACE_MS, SHUTDOWN_MARGIN_MS, shutdownTimeoutMs } from '../src/timeouts.js';
import { WAIT_MS, demoClient, fakeClient, isAlive, rejection, repositoryRoot, waitFor, within, test } from '../test-support/helpers.js';

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

test('dispose with a call in flight: the call rejects at once, the server exits by itself with code 0', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 60_000 });
  const progress = [];
  const slow = client.radar.netflows.timeseriesGroups({ dimension: 'AS', dateRange: '3d' }, { onProgress: (v) => progress.push(v.kind) });
  const settled = rejection(slow);
  await waitFor(() => progress.includes('begin'), { what: 'the call to begin on the server' });
  const disposed = client.dispose();
  const error = await settled;
  assert.ok(error instanceof RadarConnectionError, String(error));
  assert.match(error.message, /radar-rpc client is disposed/);
  assert.equal(client.exitStatus, null, 'the call rejected before the server exited: dispose never lets it resolve');
  assert.deepEqual(progress, ['begin', 'end'], 'begin has its end before the promise settles');
  // The contract's lifecycle (shutdown, exit): no signal needed against a healthy server.
  assert.deepEqual(await disposed, { code: 0, signal: null });
  assert.equal(isAlive(client.pid), false);
});

test('dispose waits for shutdown at most the grace the server was started with', () => {
  assert.equal(shutdownTimeoutMs([]), SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS);
  assert.equal(shutdownTimeoutMs(['--demo', '--shutdown-grace', '5']), 5000 + SHUTDOWN_MARGIN_MS);
  assert.equal(shutdownTimeoutMs(['--shutdown-grace=0.5']), 500 + SHUTDOWN_MARGIN_MS);
  assert.equal(shutdownTimeoutMs(['--shutdown-grace', 'soon']), SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS);
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

test('the server killed mid-call: pending calls reject naming the signal and its number', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 20_000 });
  const slow = client.radar.ct.timeseriesGroups({ dimension: 'TLD' });
  await waitFor(async () => (await client.stats()).inFlight >= 1, { what: 'the call in flight' });
  process.kill(client.pid, 'SIGKILL');
  const error = await rejection(slow);
  assert.ok(error instanceof RadarConnectionError);
  assert.equal(error.signal, 'SIGKILL');
  assert.equal(error.exitCode, null);
  assert.match(error.message, new RegExp(`radar-rpc \\(pid ${client.pid}\\) was killed by signal 9 \\(SIGKILL\\) before answering`));
});

test('a server that ignores shutdown, exit and end of input gets SIGTERM after the timeout', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'deaf');
  const pending = rejection(client.call('never.answered', {}));
  const status = await client.dispose({ timeoutMs: 400 });
  assert.deepEqual(status, { code: null, signal: 'SIGTERM' });
  assert.equal(isAlive(client.pid), false);
  assert.ok((await pending) instanceof RadarConnectionError);
});

test('a server that ignores SIGTERM too is killed', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'deaf-to-sigterm');
  await waitFor(() => client.stderr.includes('ignoring SIGTERM'), { what: 'the fake to ignore SIGTERM' });
  const status = await client.dispose({ timeoutMs: 400 });
  assert.deepEqual(status, { code: null, signal: 'SIGKILL' });
  assert.equal(isAlive(client.pid), false);
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
  const result = await within(client.call('flood', {}), WAIT_MS, 'blocked: stderr not drained');
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
