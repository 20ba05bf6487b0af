// workDoneToken and partialResultToken: $/progress in order, partial results per series.

import assert from 'node:assert/strict';
import { demoClient, test } from '../test-support/helpers.js';

test('onProgress: begin first, end last, both before the result; the progress event sees them too', async (t) => {
  const client = demoClient(t, { demoLatencyMs: 100 });
  const seen = [];
  const events = [];
  client.on('progress', (params) => events.push(params));
  const result = await client.radar.ct.timeseriesGroups({ dimension: 'CA', dateRange: '7d' }, {
    onProgress: (value) => seen.push(value),
  });
  seen.push('result');
  assert.ok(result.meta && result.serie_0);
  assert.ok(seen.length >= 3, JSON.stringify(seen));
  assert.equal(seen[0].kind, 'begin');
  assert.equal(typeof seen[0].title, 'string');
  assert.equal(seen.at(-2).kind, 'end');
  assert.equal(seen.at(-1), 'result');
  assert.ok(seen.slice(1, -2).every((v) => v.kind === 'report'));
  assert.equal(new Set(events.map((e) => e.token)).size, 1, 'one token for the call');
  assert.deepEqual(events.map((e) => e.value), seen.slice(0, -1));
});

test('onPartialResult: one notification per series, in order, and the response holds meta alone', async (t) => {
  const client = demoClient(t);
  const parts = [];
  const progress = [];
  const names = ['us', 'pt', 'de'];
  const result = await client.radar.netflows.timeseriesGroups({
    dimension: 'AS', dateRange: '7d', series: names.map((name) => ({ name, location: name.toUpperCase() })),
  }, { onPartialResult: (value) => parts.push(value), onProgress: (value) => progress.push(value.kind) });
  assert.deepEqual(Object.keys(result), ['meta']);
  assert.deepEqual(parts.map((p) => Object.keys(p)), names.map((n) => [n]));
  for (const part of parts) {
    const series = Object.values(part)[0];
    assert.ok(series.timestamps.length > 0);
  }
  assert.deepEqual([progress[0], progress.at(-1)], ['begin', 'end']);
  // the same request without tokens gives the merged shape
  const whole = await client.radar.netflows.timeseriesGroups({
    dimension: 'AS', dateRange: '7d', series: names.map((name) => ({ name, location: name.toUpperCase() })),
  });
  assert.deepEqual(whole, Object.assign({}, result, ...parts));
});

test("the application's own tokens are sent as given, 0 included, and reported through 'progress'", async (t) => {
  const client = demoClient(t);
  const events = [];
  client.on('progress', (params) => events.push(params));
  await client.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT', workDoneToken: 0, partialResultToken: '0' });
  assert.ok(events.some((e) => e.token === 0 && e.value.kind === 'begin'), 'integer token 0 kept');
  assert.ok(events.some((e) => e.token === '0' && e.value.serie_0), 'string token "0" kept apart from 0');
});
