// AbortSignal per call: $/cancelRequest, an immediate AbortError (-32800), a server that goes on.

import assert from 'node:assert/strict';
import { RadarCancelledError, RadarError } from '../src/index.js';
import { demoClient, rejection, waitFor, test } from '../test-support/helpers.js';

function traced(client) {
  const log = [];
  client.on('trace', (event) => log.push(event));
  return log;
}

test('aborting an in-flight call sends $/cancelRequest, rejects at once, and the server answers -32800', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 1500 });
  const log = traced(client);
  const controller = new AbortController();
  let began;
  const begun = new Promise((resolve) => (began = resolve));
  const progress = [];
  const call = client.radar.netflows.timeseriesGroups(
    { dimension: 'AS', dateRange: '2d' },
    { signal: controller.signal, onProgress: (v) => progress.push(v) && v.kind === 'begin' && began() },
  );
  await begun; // the server is working on it
  const reason = new Error('user closed the view');
  controller.abort(reason);
  const error = await rejection(call);
  const request = log.find((e) => e.direction === 'send' && e.message.method === 'radar.netflows.timeseriesGroups');
  assert.equal(log.find((e) => e.direction === 'receive' && e.message.id === request.message.id), undefined,
    'rejects at once, before the server answers');
  assert.deepEqual(progress.map((v) => v.kind), ['begin', 'end'], 'begin has its end before the promise settles');
  assert.equal(progress[1].message, 'cancelled');
  assert.ok(error instanceof RadarCancelledError && error instanceof RadarError && error instanceof Error);
  assert.equal(error.name, 'AbortError');
  assert.equal(error.code, -32800);
  assert.ok(error.isCancelled());
  assert.equal(error.cause, reason);

  const cancel = log.find((e) => e.direction === 'send' && e.message.method === '$/cancelRequest');
  assert.deepEqual(cancel.message.params, { id: request.message.id });
  const answer = await waitFor(() => log.find((e) => e.direction === 'receive' && e.message.id === request.message.id),
    { what: "the server's answer to the cancelled id" });
  assert.equal(answer.message.error.code, -32800, 'the server answered -32800');
  assert.deepEqual(progress.map((v) => v.kind), ['begin', 'end'], "the server's own end is not passed on after the call settled");

  // The server goes on: nothing is left in flight, and the same connection answers the next call.
  assert.equal((await client.stats()).inFlight, 0);
  const again = await client.radar.netflows.timeseriesGroups({ dimension: 'AS', dateRange: '2d' });
  assert.ok(again.meta && again.serie_0);
  const late = client.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT', dateRange: '1d' }, { signal: AbortSignal.timeout(100) });
  assert.equal((await rejection(late)).code, -32800, 'AbortSignal.timeout works too');
});

test('a signal aborted before the call sends nothing', async (t) => {
  const client = demoClient(t);
  const log = traced(client);
  const error = await rejection(client.stats({ signal: AbortSignal.abort('no') }));
  assert.ok(error instanceof RadarCancelledError);
  assert.equal(error.cause, 'no');
  assert.equal(log.length, 0, 'nothing was sent');
  assert.equal((await client.stats()).inFlight, 0);
  assert.deepEqual(log.map((e) => e.message.method ?? 'response'), ['server.stats', 'response'], 'the client still works');
});

test('cancelling one of several identical calls leaves the others answered', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 400 });
  const params = { dimension: 'LOCATION', dateRange: '3d' };
  const controller = new AbortController();
  const cancelled = client.radar.netflows.timeseriesGroups(params, { signal: controller.signal });
  const kept = [1, 2, 3].map(() => client.radar.netflows.timeseriesGroups(params));
  setTimeout(() => controller.abort(), 50);
  assert.equal((await rejection(cancelled)).code, -32800);
  for (const result of await Promise.all(kept)) assert.ok(result.meta && result.serie_0);
});
