// Every method of the document against the real binary (demo backend).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadarClient, isCsvResult, methodNames, radarMethods } from '../src/index.js';
import { demoClient, repositoryRoot, test } from '../test-support/helpers.js';

const documentPath = join(repositoryRoot, 'protocol', 'openrpc.json');
const document = JSON.parse(readFileSync(documentPath, 'utf8'));

test('the client knows exactly the Radar methods of the document', (t) => {
  const expected = document.methods.filter((m) => m['x-radar-path']).map((m) => m.name);
  assert.deepEqual(radarMethods.map((m) => m.name), expected);
  assert.deepEqual(methodNames, document.methods.map((m) => m.name));
  const client = demoClient(t);
  for (const name of expected) {
    const [, ...path] = name.split('.');
    const fn = path.reduce((node, key) => node?.[key], client.radar);
    assert.equal(typeof fn, 'function', `client.radar.${path.join('.')}`);
  }
});

test('every Radar method, every dimension: a result with meta and one series per name', async (t) => {
  const client = demoClient(t);
  let calls = 0;
  for (const { name, dimensions } of radarMethods) {
    assert.ok(dimensions.length > 0, `${name} lists its dimensions`);
    const fn = name.split('.').slice(1).reduce((node, key) => node[key], client.radar);
    await Promise.all(dimensions.map(async (dimension) => {
      const result = await fn({ dimension, dateRange: ['1d', '1dcontrol'], name: ['now', 'before'] });
      calls++;
      assert.deepEqual(Object.keys(result).sort(), ['before', 'meta', 'now'], `${name} ${dimension}`);
      assert.equal(result.meta.dateRange.length, 2);
      assert.ok(Array.isArray(result.now.timestamps) && result.now.timestamps.length > 0);
      for (const [key, values] of Object.entries(result.now)) {
        if (key === 'timestamps') continue;
        assert.equal(values.length, result.now.timestamps.length, `${name} ${dimension} ${key}`);
        assert.ok(values.every((v) => typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v)));
      }
    }));
  }
  assert.equal(calls, radarMethods.reduce((n, m) => n + m.dimensions.length, 0));
});

test('call() reaches the same methods by name, and format CSV gives {format, csv}', async (t) => {
  const client = demoClient(t);
  const viaCall = await client.call('radar.netflows.timeseriesGroups', { dimension: 'PRODUCT', dateRange: '7d' });
  const viaNamespace = await client.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT', dateRange: '7d' });
  assert.deepEqual(viaCall, viaNamespace);
  assert.equal(isCsvResult(viaCall), false);
  const csv = await client.radar.leakedCredentialChecks.timeseriesGroups({ dimension: 'COMPROMISED', format: 'CSV' });
  assert.ok(isCsvResult(csv));
  assert.deepEqual(Object.keys(csv).sort(), ['csv', 'format']);
  assert.equal(csv.csv.split('\n')[0], 'Serie_0 timestamps,Serie_0 CLEAN,Serie_0 COMPROMISED');
});

test('initialize, initialized, rpc.discover, server.stats, shutdown', async (t) => {
  const client = demoClient(t);
  const init = await client.initialize();
  assert.equal(init.serverInfo.name, 'radar-rpc');
  assert.equal(init.backend, 'demo');
  assert.deepEqual(init.capabilities.methods, methodNames);
  assert.equal(init.capabilities.partialResults, true);
  assert.equal(client.serverInfo, init);
  assert.deepEqual(await client.discover(), document, 'rpc.discover returns protocol/openrpc.json');
  const stats = await client.stats();
  for (const key of ['coalesced', 'cacheHits', 'inFlight', 'subscriptions']) assert.equal(typeof stats[key], 'number', key);
  for (const key of ['requests', 'errors', 'retries', 'rateLimited']) assert.equal(typeof stats.upstream[key], 'number', key);
  assert.equal(await client.shutdown(), null);
  const after = await client.stats().catch((e) => e);
  assert.equal(after.code, -32600, 'requests after shutdown are -32600');
});

test('RadarClient.start initializes', async (t) => {
  const client = await RadarClient.start({ demo: true });
  t.after(() => client.dispose());
  assert.equal(client.serverInfo.backend, 'demo');
});
