// Many calls at once on one connection: each promise gets its own answer.

import assert from 'node:assert/strict';
import { demoClient, test } from '../test-support/helpers.js';

const locations = ['US', 'IN', 'DE', 'GB', 'BR', 'FR', 'CN', 'JP', 'RU', 'ID'];

test('100 concurrent calls, all different, each answered with its own result', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 50 });
  let maxInFlight = 0;
  const sent = new Set();
  client.on('trace', ({ direction, message }) => {
    if (direction === 'send' && message.id !== undefined) sent.add(message.id);
    if (direction === 'receive' && message.id !== undefined) sent.delete(message.id);
    maxInFlight = Math.max(maxInFlight, sent.size);
  });
  const calls = Array.from({ length: 100 }, (_, i) => {
    const name = `call-${i}`;
    const params = { dimension: 'AS', name, location: locations[i % 10], dateRange: `${1 + Math.floor(i / 10)}d` };
    return client.radar.netflows.timeseriesGroups(params).then((result) => ({ i, name, result }));
  });
  const results = await Promise.all(calls);
  assert.equal(maxInFlight, 100, 'all 100 were outstanding at once');
  for (const { i, name, result } of results) {
    assert.deepEqual(Object.keys(result).sort(), ['meta', name].sort(), `call ${i}`);
    const days = 1 + Math.floor(i / 10);
    const { startTime, endTime } = result.meta.dateRange[0];
    assert.equal((Date.parse(endTime) - Date.parse(startTime)) / 86_400_000, days, `call ${i} got its own date range`);
  }
  const stats = await client.stats();
  assert.equal(stats.inFlight, 0);
  assert.equal(stats.upstream.requests, 100, 'no two calls were the same request');
});

test('identical concurrent calls are coalesced by the server and each caller still gets an answer', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 200 });
  const params = { dimension: 'LOCATION', dateRange: '7d' };
  const results = await Promise.all(Array.from({ length: 20 }, () => client.radar.netflows.timeseriesGroups(params)));
  for (const result of results) assert.deepEqual(result, results[0]);
  const stats = await client.stats();
  assert.equal(stats.upstream.requests, 1);
  assert.equal(stats.coalesced, 19);
});
