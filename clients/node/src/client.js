// RadarClient: spawns radar-rpc and speaks JSON-RPC 2.0 with it over LSP-framed stdio.

import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { resolveBinary } from './binary.js';
import { RadarConnectionError } from './errors.js';
import { FrameDecoder, ProtocolError, encodeFrame, parseBody } from './framing.js';
import { radarMethods } from './generated/protocol.js';
import { Router } from './router.js';
import { EXIT_TIMEOUT_MS, PIPES_TIMEOUT_MS, TERMINATE_TIMEOUT_MS, shutdownTimeoutMs } from './timeouts.js';

// The version is the package's (scripts/package stamps radar-rpc's, from Sources/Radar/Version.swift).
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const CLIENT_INFO = Object.freeze({ name: 'radar-rpc-node', version });
/** Lines of the server's standard error kept for errors and `client.stderr`. */
const STDERR_TAIL_LINES = 20;
/** A standard-error "line" longer than this is cut there (a server that never writes a newline). */
const STDERR_LINE_LIMIT = 8192;

/**
 * A radar-rpc server process and the JSON-RPC session with it.
 *
 * Events: 'progress' (`$/progress` params), 'update' (`radar/update` params), 'notification'
 * (`{method, params}` for every notification), 'stderr' (one line the server logged), 'trace'
 * (`{direction: 'send'|'receive', message}` for every message), 'protocolError' (an unreadable
 * frame or an unroutable response), 'exit' (`{code, signal}` once the process is gone).
 */
export class RadarClient extends EventEmitter {
  #process;
  #options;
  #decoder = new FrameDecoder();
  #router;
  #stderrTail = [];
  #stderrPartial = '';
  #closedError = null;
  #disposing = null;
  #exit = null;
  #exited;
  #resolveExited;

  /**
   * Spawns the server at once. Throws RadarSpawnError when no executable is found.
   * @param {import('./client.js').RadarClientOptions} [options]
   */
  constructor(options = {}) {
    super();
    this.#options = options;
    /** The executable that was started. */
    this.bin = resolveBinary({ bin: options.bin, env: options.env ?? process.env });
    const args = [];
    if (options.demo) args.push('--demo');
    if (options.demoLatencyMs !== undefined) args.push('--demo-latency', String(options.demoLatencyMs));
    args.push(...(options.args ?? []));
    /** The arguments it was started with. */
    this.args = args;
    this.#exited = new Promise((resolve) => (this.#resolveExited = resolve));
    this.#router = new Router({ send: (message) => this.#send(message), emit: (event, value) => this.emit(event, value) });
    this.#process = spawn(this.bin, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      windowsHide: true,
    });
    /** The server's process id. */
    this.pid = this.#process.pid;
    /** `client.radar.<area>.<method>(params, options)`: one function per Radar method of the document. */
    this.radar = buildRadarApi((method, params, callOptions) => this.call(method, params, callOptions));
    /** The `initialize` result, once `initialize()` has been answered. */
    this.serverInfo = undefined;

    const proc = this.#process;
    proc.stdout.on('data', (chunk) => this.#onData(chunk));
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (text) => this.#onStderr(text));
    proc.stdin.on('error', () => {}); // EPIPE once the server is gone; 'close' reports it
    proc.on('error', (error) => this.#onClosed(null, null, error));
    proc.on('exit', (code, signal) => {
      // 'close' follows once stdout is drained; do not wait for it forever (a grandchild could hold the pipe).
      setTimeout(() => this.#onClosed(code, signal), PIPES_TIMEOUT_MS).unref();
    });
    proc.on('close', (code, signal) => this.#onClosed(code, signal));
  }

  /**
   * Spawns the server and sends `initialize` (with `options.apiToken`, if any, as
   * `initializationOptions.apiToken`). Disposes of the process if that fails.
   * @returns {Promise<RadarClient>}
   */
  static async start(options = {}) {
    const client = new RadarClient(options);
    try {
      await client.initialize();
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return client;
  }

  /** Resolves with `{code, signal}` once the server process has exited and its pipes are closed. */
  get exited() {
    return this.#exited;
  }

  /** `{code, signal}` once the process is gone, else null. */
  get exitStatus() {
    return this.#exit;
  }

  /** The last lines the server wrote to standard error. */
  get stderr() {
    return this.#stderrTail.join('\n');
  }

  /**
   * `initialize`: `params` is merged over `{processId, clientInfo, capabilities: {},
   * initializationOptions: {apiToken}}`. Resolves with `{serverInfo, capabilities, backend}`.
   */
  async initialize(params = {}, options) {
    const apiToken = this.#options.apiToken;
    const defaults = { processId: process.pid, clientInfo: CLIENT_INFO, capabilities: {} };
    if (apiToken) defaults.initializationOptions = { apiToken };
    const result = await this.call('initialize', { ...defaults, ...params }, options);
    this.serverInfo = result;
    this.notify('initialized', {});
    return result;
  }

  /** `server.stats`: the server's counters. */
  stats(options) {
    return this.call('server.stats', undefined, options);
  }

  /** `rpc.discover`: the OpenRPC document the server validates params against. */
  discover(options) {
    return this.call('rpc.discover', undefined, options);
  }

  /**
   * Sends a request and resolves with its result, or rejects with a RadarError (the server's
   * error), a RadarCancelledError (`options.signal` fired) or a RadarConnectionError (the server
   * is gone, or the client was disposed). `options.onProgress` / `options.onPartialResult` set a
   * fresh `workDoneToken` / `partialResultToken` and receive that token's `$/progress` values;
   * `onProgress` gets `end` before the promise settles, also after an abort.
   */
  call(method, params, options = {}) {
    if (this.#closedError) return Promise.reject(this.#connectionError(method));
    return this.#router.request(method, params, options);
  }

  /** Sends a notification (no answer). Throws RadarConnectionError when the server is gone. */
  notify(method, params) {
    if (this.#closedError) throw this.#connectionError(method);
    this.#send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /**
   * `radar.subscribe`: resolves, once the server has accepted it, with a Subscription, an async
   * iterable of updates whose first one comes at once. Breaking out of `for await` unsubscribes.
   * @param {string} method a Radar method
   * @param {object} params its params
   * @param {{intervalSeconds?: number, signal?: AbortSignal, maxBuffered?: number}} [options]
   */
  subscribe(method, params, { intervalSeconds, signal, maxBuffered = 64 } = {}) {
    if (this.#closedError) return Promise.reject(this.#connectionError('radar.subscribe'));
    return this.#router.subscribe(method, params, { intervalSeconds, signal, maxBuffered }, (id) => this.#unsubscribe(id));
  }

  /** `radar.unsubscribe` by id. Resolves with true. Prefer `subscription.unsubscribe()`. */
  unsubscribe(subscriptionId, options) {
    const subscription = this.#router.subscription(subscriptionId);
    if (subscription) return subscription.unsubscribe().then(() => true);
    return this.#unsubscribe(subscriptionId, options);
  }

  /** `shutdown`: the server answers null and then refuses new requests. dispose() calls it for you. */
  shutdown(options) {
    return this.call('shutdown', undefined, options);
  }

  /**
   * Stops the server as the contract's lifecycle says: calls still in flight reject at once
   * with a RadarConnectionError (and are cancelled on the server), subscriptions end quietly,
   * `shutdown` is sent and its answer awaited (at most the server's `--shutdown-grace`, 2 s by
   * default, plus 1 s), then `exit` and end of input. A healthy server then exits by itself
   * with code 0. One that has not exited `timeoutMs` after dispose() began (default: that wait
   * plus 2 s) gets SIGTERM, and SIGKILL 2 s later. Idempotent: every call returns the same
   * promise, which resolves with `{code, signal}` and never rejects.
   */
  dispose({ timeoutMs } = {}) {
    this.#disposing ??= this.#dispose(timeoutMs ?? shutdownTimeoutMs(this.args) + EXIT_TIMEOUT_MS);
    return this.#disposing;
  }

  async #dispose(timeoutMs) {
    if (this.#exit) return this.#exit;
    const deadline = Date.now() + timeoutMs;
    const running = !this.#closedError;
    this.#closedError ??= new RadarConnectionError('radar-rpc client is disposed');
    this.#router.endSubscriptions(null);
    for (const id of this.#router.failCalls((method) => this.#connectionError(method), 'cancelled')) {
      this.#trySend({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
    }
    if (running) {
      const shutdown = this.#router.request('shutdown', undefined, {});
      await withTimeout(shutdown, Math.min(shutdownTimeoutMs(this.args), timeoutMs)).catch(() => {});
    }
    this.#trySend({ jsonrpc: '2.0', method: 'exit' });
    try {
      this.#process.stdin.end();
    } catch {}
    const exited = await withTimeout(this.#exited, Math.max(0, deadline - Date.now())).catch(() => null);
    if (exited) return exited;
    this.#process.kill('SIGTERM');
    const terminated = await withTimeout(this.#exited, TERMINATE_TIMEOUT_MS).catch(() => null);
    if (terminated) return terminated;
    this.#process.kill('SIGKILL');
    return this.#exited;
  }

  // ---- requests ----

  #unsubscribe(subscriptionId, options) {
    this.#router.unsubscribed(subscriptionId);
    return this.call('radar.unsubscribe', { subscription: subscriptionId }, options);
  }

  #send(message) {
    const stdin = this.#process.stdin;
    if (stdin.destroyed || stdin.writableEnded) throw this.#connectionError(message.method);
    if (this.listenerCount('trace') > 0) this.emit('trace', { direction: 'send', message });
    stdin.write(encodeFrame(message));
  }

  #trySend(message) {
    try {
      this.#send(message);
    } catch {} // the server is gone: nothing left to tell it
  }

  #connectionError(method) {
    const base = this.#closedError ?? new RadarConnectionError('radar-rpc is not running');
    return new RadarConnectionError(`${method}: ${base.message}`, {
      exitCode: base.exitCode, signal: base.signal, stderr: base.stderr, cause: base.cause,
    });
  }

  // ---- incoming ----

  #onData(chunk) {
    for (const frame of this.#decoder.push(chunk)) {
      if (frame instanceof ProtocolError) {
        this.emit('protocolError', frame);
        continue;
      }
      let message;
      try {
        message = parseBody(frame);
      } catch (error) {
        this.emit('protocolError', error);
        continue;
      }
      if (this.listenerCount('trace') > 0) this.emit('trace', { direction: 'receive', message });
      for (const one of Array.isArray(message) ? message : [message]) {
        try {
          this.#router.dispatch(one);
        } catch (error) {
          // A listener or callback of the application threw: report it as uncaught, as an
          // EventEmitter would, but after the client has handled every frame of this chunk.
          process.nextTick(() => {
            throw error;
          });
        }
      }
    }
  }

  #onStderr(text) {
    const lines = (this.#stderrPartial + text).split(/\r?\n/);
    this.#stderrPartial = lines.pop();
    if (this.#stderrPartial.length > STDERR_LINE_LIMIT) {
      lines.push(this.#stderrPartial);
      this.#stderrPartial = '';
    }
    for (const line of lines) {
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > STDERR_TAIL_LINES) this.#stderrTail.shift();
      this.emit('stderr', line);
    }
  }

  #onClosed(code, signal, error) {
    if (this.#exit) return;
    if (this.#stderrPartial) this.#onStderr('\n');
    this.#exit = { code: code ?? this.#process.exitCode, signal: signal ?? this.#process.signalCode };
    const { code: exitCode, signal: exitSignal } = this.#exit;
    const stderr = this.stderr;
    const reason = this.#closedError
      ? `radar-rpc client is disposed (the server ${describeExit(exitCode, exitSignal, error)})`
      : `radar-rpc (pid ${this.pid}) ${describeExit(exitCode, exitSignal, error)} before answering` +
        (stderr ? `; its last standard error:\n${stderr}` : '');
    this.#closedError = new RadarConnectionError(reason, { exitCode, signal: exitSignal, stderr, cause: error });
    const lost = (method) => this.#connectionError(method);
    this.#router.failCalls(lost, 'radar-rpc is gone');
    this.#router.endSubscriptions(lost);
    this.#router.clear();
    this.#resolveExited(this.#exit);
    this.emit('exit', this.#exit);
  }
}

/** How the process ended, saying only what is known: the start error, the signal (name and number), or the exit code. */
function describeExit(code, signal, error) {
  if (error) return `could not be started (${error.message})`;
  if (signal) {
    const number = constants.signals[signal];
    return number === undefined ? `was killed by ${signal}` : `was killed by signal ${number} (${signal})`;
  }
  return `exited with code ${code}`;
}

// `await using client = new RadarClient(…)` disposes of it at the end of the block (where the runtime has it).
if (typeof Symbol.asyncDispose === 'symbol') {
  RadarClient.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.dispose();
  };
}

// The nested `radar` namespace from the document's Radar method names (radar.ct.timeseriesGroups → radar.ct.timeseriesGroups).
function buildRadarApi(call) {
  const api = {};
  for (const { name } of radarMethods) {
    const segments = name.split('.').slice(1);
    let node = api;
    for (const segment of segments.slice(0, -1)) node = node[segment] ??= {};
    node[segments.at(-1)] = (params, options) => call(name, params, options);
  }
  return deepFreeze(api);
}

function deepFreeze(object) {
  for (const value of Object.values(object)) if (typeof value === 'object') deepFreeze(value);
  return Object.freeze(object);
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
