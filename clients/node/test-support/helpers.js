// Shared by the tests: the binary, clients that dispose of themselves, waiting on conditions.
//
// Kept outside test/: given a directory, `node --test` (Node 20) runs every .js/.mjs file under a
// folder named test as a test file, and a fake server run that way would wait on stdin forever.

import { test as nodeTest } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RadarClient } from '../src/index.js';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const fixture = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/**
 * How long a test waits for something that should happen before it fails: generous, since it is
 * only spent when the test fails (a loaded CI machine). `RADAR_RPC_TEST_TIMEOUT` (seconds, as for
 * the Python tests) overrides it. Tests never assert how fast things happen: bench/clients.py does.
 */
export const WAIT_MS = Number(process.env.RADAR_RPC_TEST_TIMEOUT ?? 15) * 1000;

/** node:test's `test` with a time limit, so a regression fails instead of hanging the suite. */
export function test(name, fn) {
  return nodeTest(name, { timeout: WAIT_MS + 15_000 }, fn);
}

/** A client of the real binary (demo backend unless `demo: false`), disposed of when the test ends. */
export function demoClient(t, options = {}) {
  const client = new RadarClient({ demo: true, ...options });
  t.after(() => client.dispose());
  return client;
}

/** A client of a fake server script in test-support, run by this Node. */
export function fakeClient(t, script, ...args) {
  const client = new RadarClient({ bin: process.execPath, args: [fixture(script), ...args] });
  t.after(() => client.dispose({ timeoutMs: 500 }));
  return client;
}

/** True while a process with this pid exists. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Resolves once `condition()` is truthy; rejects after `timeoutMs`. */
export async function waitFor(condition, { timeoutMs = WAIT_MS, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settles with the rejection of `promise`, failing if it resolves. */
export async function rejection(promise) {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    return error;
  }
}

/** `promise`, or a rejection naming `what` after `timeoutMs` (the timer is cleared either way). */
export async function within(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
