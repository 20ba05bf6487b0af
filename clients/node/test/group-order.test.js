// Radar's group order survives JavaScript's key order: AS numbers are integer-like keys, which
// Object.keys lists first and ascending, while the server sends groups largest first.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { groupsOf, resolveBinary, seriesOf, wireKeys } from '../src/index.js';
import { demoClient, test } from '../test-support/helpers.js';

const params = { dimension: 'AS', dateRange: '7d', limitPerGroup: 3 };

/** The group keys of serie_0 in the order they appear in the server's own bytes (NDJSON, no client). */
function rawGroupOrder() {
  const request = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'radar.netflows.timeseriesGroups', params });
  const line = execFileSync(resolveBinary({ env: process.env }), ['--demo'], { input: `${request}\n`, encoding: 'utf8' });
  const series = line.slice(line.indexOf('"serie_0"'));
  const keys = [...series.matchAll(/"([^"]+)":\[/g)].map((m) => m[1]);
  return keys.filter((key) => key !== 'timestamps');
}

test('AS-number groups come in wire order (largest first, other last), not in JavaScript key order', async (t) => {
  const wire = rawGroupOrder();
  assert.equal(wire.length, 4, `three ASes and other: ${wire}`);
  assert.equal(wire.at(-1), 'other');
  assert.ok(wire.slice(0, 3).every((key) => /^\d+$/.test(key)), `AS numbers: ${wire}`);

  const client = demoClient(t);
  const result = await client.radar.netflows.timeseriesGroups(params);
  const series = result.serie_0;
  const javascriptOrder = Object.keys(series).filter((key) => key !== 'timestamps');
  assert.notDeepEqual(javascriptOrder, wire, 'the demo data must exercise the reordering');
  assert.deepEqual(groupsOf(series).map(([key]) => key), wire);
  assert.deepEqual(wireKeys(series), ['timestamps', ...wire]);
  assert.deepEqual(seriesOf(result).map(([name]) => name), ['serie_0']);
  const totals = groupsOf(series).slice(0, 3).map(([, values]) => values.reduce((sum, v) => sum + Number(v), 0));
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a), 'largest first, as Radar orders them');

  // The same order in partial results and subscription updates, which are decoded the same way.
  const parts = [];
  await client.radar.netflows.timeseriesGroups(params, { onPartialResult: (value) => parts.push(value) });
  assert.deepEqual(groupsOf(parts[0].serie_0).map(([key]) => key), wire);
  const subscription = await client.subscribe('radar.netflows.timeseriesGroups', params, { intervalSeconds: 3600 });
  for await (const update of subscription) {
    assert.deepEqual(groupsOf(update.result.serie_0).map(([key]) => key), wire);
    break;
  }
});
