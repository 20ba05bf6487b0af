// Errors as RadarError with the contract's code, message and data; credentials on the live backend.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, RadarClient, RadarError } from '../src/index.js';
import { demoClient, rejection, test } from '../test-support/helpers.js';

test('bad params: -32602 with every violation, JSON Pointer paths and suggestions', async (t) => {
  const client = demoClient(t);
  const error = await rejection(client.radar.netflows.timeseriesGroups({
    dimension: 'locaton', aggInterval: '2h', format: 'cvs', dateRange: ['7d', '8x'], loction: 'US', limitPerGroup: 1,
  }));
  assert.ok(error instanceof RadarError);
  assert.equal(error.code, ErrorCode.InvalidParams);
  assert.ok(error.isInvalidParams() && !error.isMethodNotFound());
  assert.equal(error.codeName, 'InvalidParams');
  assert.equal(error.method, 'radar.netflows.timeseriesGroups');
  assert.ok(error.message.startsWith('radar.netflows.timeseriesGroups: '));
  assert.ok(error.message.endsWith(error.serverMessage));
  assert.deepEqual(error.violations.map((v) => v.path),
    ['/dimension', '/aggInterval', '/format', '/dateRange/1', '/loction', '/limitPerGroup']);
  assert.deepEqual(error.didYouMean, ['LOCATION', '1h', 'CSV', 'location']);
  assert.deepEqual(error.data, { errors: error.violations });
  assert.deepEqual(error.toJSON(), { name: 'RadarError', code: -32602, message: error.serverMessage, data: error.data });
});

test('unknown method: -32601 with didYouMean', async (t) => {
  const client = demoClient(t);
  const error = await rejection(client.call('radar.ct.timeseriesGroup', { dimension: 'CA' }));
  assert.ok(error.isMethodNotFound());
  assert.equal(error.data.method, 'radar.ct.timeseriesGroup');
  assert.deepEqual(error.didYouMean, ['radar.ct.timeseriesGroups']);
});

test('Cloudflare-style upstream error from the demo: -32001 with httpStatus and errors', async (t) => {
  const client = demoClient(t);
  const error = await rejection(client.radar.ct.timeseriesGroups({ dimension: 'CA', dateRange: '52w', aggInterval: '15m' }));
  assert.ok(error.isUpstreamError(), error.message);
  assert.equal(error.httpStatus, 400);
  assert.ok(Array.isArray(error.data.errors) && error.data.errors[0].message);
});

// A live backend's environment: `baseUrl`, no credentials, and a cache directory of its own
// (XDG_CACHE_HOME, removed after the test): the shared cache and rate budget never reach the
// user's ~/.cache nor another test's server.
function liveEnv(t, baseUrl) {
  const cacheHome = mkdtempSync(join(tmpdir(), 'radar-rpc-node-cache-'));
  t.after(() => rmSync(cacheHome, { recursive: true, force: true }));
  const env = { ...process.env, CLOUDFLARE_BASE_URL: baseUrl, XDG_CACHE_HOME: cacheHome };
  for (const key of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_EMAIL', 'CLOUDFLARE_API_KEY']) delete env[key];
  return env;
}

test('live backend without a token: -32005 saying how to set one', async (t) => {
  const client = new RadarClient({ env: liveEnv(t, 'http://127.0.0.1:9/client/v4'), args: ['--retries', '0'] });
  t.after(() => client.dispose());
  const init = await client.initialize();
  assert.equal(init.backend, 'live');
  const error = await rejection(client.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT' }));
  assert.ok(error.isUnauthorized(), `${error.code} ${error.message}`);
  assert.equal(error.code, -32005);
  assert.match(error.message, /CLOUDFLARE_API_TOKEN/);
  assert.match(error.message, /--demo/);
});

test('apiToken goes in initializationOptions and reaches Cloudflare as a Bearer token, never in output', async (t) => {
  // The answer a Cloudflare Radar endpoint would give, borrowed from the demo backend.
  const demo = demoClient(t);
  const result = await demo.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT', dateRange: '1d' });
  const seen = [];
  const upstream = createServer((request, response) => {
    seen.push({ url: request.url, authorization: request.headers.authorization });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ success: true, errors: [], messages: [], result }));
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  t.after(() => upstream.close());
  const token = 'test-token-5f2a9c';
  const client = new RadarClient({
    env: liveEnv(t, `http://127.0.0.1:${upstream.address().port}/client/v4`), apiToken: token, args: ['--log-level', 'debug'],
  });
  t.after(() => client.dispose());
  const output = [];
  client.on('trace', ({ direction, message }) => direction === 'receive' && output.push(JSON.stringify(message)));
  client.on('stderr', (line) => output.push(line));
  const sent = [];
  client.on('trace', ({ direction, message }) => direction === 'send' && sent.push(message));
  await client.initialize();
  assert.deepEqual(sent[0].params.initializationOptions, { apiToken: token });
  const live = await client.radar.netflows.timeseriesGroups({ dimension: 'PRODUCT', dateRange: '1d' });
  assert.deepEqual(live, result);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].authorization, `Bearer ${token}`);
  assert.match(seen[0].url, /^\/client\/v4\/radar\/netflows\/timeseries_groups\/PRODUCT\?dateRange=1d$/);
  await client.dispose();
  assert.ok(output.length > 3, 'debug logs and responses were seen');
  assert.ok(!output.some((line) => line.includes(token)), 'the token is never echoed');
});
