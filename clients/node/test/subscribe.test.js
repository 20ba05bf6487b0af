// radar.subscribe as an async iterable: first update at once, break unsubscribes, limits, endings.

import assert from 'node:assert/strict';
import { RadarConnectionError, Subscription } from '../src/index.js';
import { WAIT_MS, demoClient, fakeClient, rejection, waitFor, within, test } from '../test-support/helpers.js';

const method = 'radar.netflows.timeseriesGroups';
const params = { dimension: 'PRODUCT', dateRange: '1d' };

test('the first update comes at once; break unsubscribes (server.stats subscriptions back to 0)', async (t) => {
  const client = demoClient(t);
  const subscription = await client.subscribe(method, params, { intervalSeconds: 3600 });
  assert.ok(subscription instanceof Subscription);
  assert.equal(typeof subscription.id, 'string');
  assert.equal((await client.stats()).subscriptions, 1);
  const updates = [];
  for await (const update of subscription) { // long before the hour-long interval (the test's time limit)
    updates.push(update);
    break;
  }
  assert.equal(updates[0].subscription, subscription.id);
  assert.ok(updates[0].result.meta && updates[0].result.serie_0);
  assert.equal(updates[0].error, undefined);
  assert.equal(subscription.closed, true);
  assert.equal((await client.stats()).subscriptions, 0, 'break unsubscribed before the loop ended');
  const after = await subscription.next();
  assert.deepEqual(after, { value: undefined, done: true });
});

test('unsubscribe() and an AbortSignal stop a subscription; a pending next() ends', async (t) => {
  const client = demoClient(t);
  const one = await client.subscribe(method, params, { intervalSeconds: 3600 });
  const controller = new AbortController();
  const two = await client.subscribe(method, { ...params, dateRange: '2d' }, { intervalSeconds: 3600, signal: controller.signal });
  assert.equal((await client.stats()).subscriptions, 2);
  await one.next(); // the first update
  const waiting = one.next(); // nothing more within the hour
  await one.unsubscribe();
  assert.deepEqual(await waiting, { value: undefined, done: true });
  controller.abort();
  await waitFor(async () => (await client.stats()).subscriptions === 0, { what: 'the aborted subscription to stop' });
  assert.equal(two.closed, true);
  const unknown = await rejection(client.unsubscribe('no-such-subscription'));
  assert.ok(unknown.isInvalidParams(), 'an unknown id is -32602');
  assert.equal(unknown.violations[0].path, '/subscription');
});

test('two subscriptions at once do not mix', async (t) => {
  const client = demoClient(t);
  const a = await client.subscribe(method, params, { intervalSeconds: 1 });
  const b = await client.subscribe('radar.ct.timeseriesGroups', { dimension: 'CA', dateRange: '1d' }, { intervalSeconds: 1 });
  const [ua, ub] = await Promise.all([a.next(), b.next()]);
  assert.equal(ua.value.subscription, a.id);
  assert.equal(ub.value.subscription, b.id);
  assert.notEqual(a.id, b.id);
  assert.ok('HTTP' in ua.value.result.serie_0, 'netflows PRODUCT keys');
  assert.ok(!('HTTP' in ub.value.result.serie_0), 'CT CA keys');
  await Promise.all([a.unsubscribe(), b.unsubscribe()]);
  assert.equal((await client.stats()).subscriptions, 0);
});

test('--max-subscriptions 1: the second subscribe fails with -32006; after unsubscribing there is room again', async (t) => {
  const client = demoClient(t, { args: ['--max-subscriptions', '1'] });
  const first = await client.subscribe(method, params, { intervalSeconds: 3600 });
  const error = await rejection(client.subscribe(method, { ...params, dateRange: '3d' }, { intervalSeconds: 3600 }));
  assert.equal(error.code, -32006, error.message);
  assert.ok(error.isSubscriptionLimit());
  assert.equal(error.codeName, 'SubscriptionLimit');
  await first.unsubscribe();
  const again = await client.subscribe(method, { ...params, dateRange: '3d' }, { intervalSeconds: 3600 });
  assert.ok((await again.next()).value.result);
});

test('bad subscribe params are -32602 with paths under /params', async (t) => {
  const client = demoClient(t);
  const error = await rejection(client.subscribe(method, { dimension: 'PRODUCT', aggInterval: '2h' }));
  assert.ok(error.isInvalidParams());
  assert.deepEqual(error.violations.map((v) => [v.path, v.didYouMean]), [['/params/aggInterval', '1h']]);
});

test('the server going away ends iteration with RadarConnectionError; dispose ends it quietly', async (t) => {
  const killed = demoClient(t);
  const subscription = await killed.subscribe(method, params, { intervalSeconds: 3600 });
  await subscription.next();
  const next = subscription.next();
  process.kill(killed.pid, 'SIGKILL');
  const error = await rejection(within(next, WAIT_MS, 'next() after the kill'));
  assert.ok(error instanceof RadarConnectionError, String(error));

  const disposed = demoClient(t);
  const quiet = await disposed.subscribe(method, params, { intervalSeconds: 3600 });
  await quiet.next();
  const pending = quiet.next();
  await disposed.dispose();
  assert.deepEqual(await pending, { value: undefined, done: true });
});

test('an update that overtakes the subscribe response is kept; failed polls are yielded as RadarError', async (t) => {
  const client = fakeClient(t, 'fake-server.mjs', 'updates-first');
  const subscription = await client.subscribe(method, params);
  const got = [];
  for await (const update of subscription) {
    got.push(update);
    if (got.length === 3) break;
  }
  assert.deepEqual(got.slice(0, 2).map((u) => u.result.n), [1, 2]);
  assert.equal(got[2].error.code, -32004);
  assert.ok(got[2].error.isUpstreamUnavailable());
  assert.deepEqual(got[2].error.data, { reason: 'timed out' });
});

test('a slow reader: updates are buffered up to maxBuffered, oldest dropped first', async () => {
  let stops = 0;
  const subscription = new Subscription({ id: 's', method, params, maxBuffered: 3, stop: async () => stops++ });
  for (let n = 1; n <= 5; n++) subscription._push({ subscription: 's', result: { n } });
  assert.equal(subscription.dropped, 2);
  const read = [];
  for await (const update of subscription) {
    read.push(update.result.n);
    if (read.length === 3) break;
  }
  assert.deepEqual(read, [3, 4, 5]);
  assert.equal(stops, 1, 'break stopped it once');
  await subscription.unsubscribe();
  assert.equal(stops, 1, 'unsubscribe is idempotent');
});
