// RadarClient: spawns radar-rpc and speaks JSON-RPC 2.0 with it over LSP-framed stdio.

import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolveBinary } from './binary.js';
import { ErrorCode, RadarCancelledError, RadarConnectionError, RadarError } from './errors.js';
import { FrameDecoder, ProtocolError, encodeFrame, parseBody } from './framing.js';
import { radarMethods } from './generated/protocol.js';
import { Subscription } from './subscription.js';

// The version is the package's (scripts/package stamps radar-rpc's, from Sources/Radar/Version.swift).
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const CLIENT_INFO = Object.freeze({ name: 'radar-rpc-node', version });
const STDERR_TAIL_LINES = 20;
const EARLY_UPDATES_LIMIT = 64;

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
  #nextId = 1;
  #nextToken = 1;
  #pending = new Map(); // id → {method, resolve, reject, settle}
  #abandoned = new Map(); // ids of aborted calls still to be answered → method
  #progressHandlers = new Map(); // token → callback
  #subscriptions = new Map(); // id → Subscription
  #subscribing = 0;
  #earlyUpdates = new Map(); // updates that overtook their radar.subscribe response
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
      setTimeout(() => this.#onClosed(code, signal), 2000).unref();
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
   * is gone). `options.onProgress` / `options.onPartialResult` set a fresh `workDoneToken` /
   * `partialResultToken` and receive that token's `$/progress` values.
   */
  call(method, params, options = {}) {
    return this.#request(method, params, options);
  }

  /** Sends a notification (no answer). Throws RadarConnectionError when the server is gone. */
  notify(method, params) {
    this.#throwIfClosed(method);
    this.#send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /**
   * `radar.subscribe`: resolves, once the server has accepted it, with a Subscription, an async
   * iterable of updates whose first one comes at once. Breaking out of `for await` unsubscribes.
   * @param {string} method a Radar method
   * @param {object} params its params
   * @param {{intervalSeconds?: number, signal?: AbortSignal, maxBuffered?: number}} [options]
   */
  async subscribe(method, params, { intervalSeconds, signal, maxBuffered = 64 } = {}) {
    const request = { method, params };
    if (intervalSeconds !== undefined) request.intervalSeconds = intervalSeconds;
    this.#subscribing++;
    let subscription;
    try {
      await this.#request('radar.subscribe', request, { signal }, (result, late) => {
        if (late) {
          // Answered after the caller gave up: nobody will read it, so stop it on the server.
          if (typeof result?.subscription === 'string') this.#unsubscribe(result.subscription).catch(() => {});
          return;
        }
        // Registered while the response is handled, so an update right behind it finds its subscription.
        subscription = new Subscription({
          id: result.subscription, method, params, intervalSeconds, maxBuffered, signal,
          stop: (s) => this.#unsubscribe(s.id),
        });
        this.#subscriptions.set(subscription.id, subscription);
        for (const update of this.#earlyUpdates.get(subscription.id) ?? []) subscription._push(update);
        this.#earlyUpdates.delete(subscription.id);
      });
    } finally {
      if (--this.#subscribing === 0) this.#earlyUpdates.clear();
    }
    return subscription;
  }

  /** `radar.unsubscribe` by id. Resolves with true. Prefer `subscription.unsubscribe()`. */
  unsubscribe(subscriptionId, options) {
    const subscription = this.#subscriptions.get(subscriptionId);
    if (subscription) return subscription.unsubscribe().then(() => true);
    return this.#unsubscribe(subscriptionId, options);
  }

  /** `shutdown`: the server answers null and then refuses new requests. dispose() calls it for you. */
  shutdown(options) {
    return this.call('shutdown', undefined, options);
  }

  /**
   * Stops the server cleanly: `shutdown`, then `exit` and end of input, then waits up to
   * `timeoutMs` (default 3000) for the process to exit, and kills it (SIGKILL) if it has not.
   * Calls still pending reject with a RadarConnectionError; subscriptions end. Idempotent: every
   * call returns the same promise, which resolves with `{code, signal}` and never rejects.
   */
  dispose({ timeoutMs = 3000 } = {}) {
    this.#disposing ??= this.#dispose(timeoutMs);
    return this.#disposing;
  }

  async #dispose(timeoutMs) {
    if (this.#exit) return this.#exit;
    for (const subscription of this.#subscriptions.values()) subscription._end(null);
    this.#subscriptions.clear();
    const deadline = Date.now() + timeoutMs;
    const running = !this.#closedError;
    this.#closedError ??= new RadarConnectionError('radar-rpc client is disposed');
    if (running) {
      try {
        await withTimeout(this.#start('shutdown', undefined, {}), timeoutMs);
      } catch {} // a server that does not answer is killed below
    }
    try {
      this.#send({ jsonrpc: '2.0', method: 'exit' });
      this.#process.stdin.end();
    } catch {}
    const exited = await withTimeout(this.#exited, Math.max(0, deadline - Date.now())).catch(() => null);
    if (exited) return exited;
    this.#process.kill('SIGKILL');
    return this.#exited;
  }

  // ---- requests ----

  #request(method, params, options, onResult) {
    if (this.#closedError) return Promise.reject(this.#connectionError(method));
    return this.#start(method, params, options, onResult);
  }

  // Sends a request even while disposing (for `shutdown`).
  #start(method, params, { signal, onProgress, onPartialResult } = {}, onResult) {
    if (signal?.aborted) return Promise.reject(new RadarCancelledError(method, signal.reason));
    const id = this.#nextId++;
    const tokens = [];
    let sent = params;
    if (onProgress || onPartialResult) {
      if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
        return Promise.reject(new TypeError(`${method}: onProgress/onPartialResult need params that are an object`));
      }
      sent = { ...params };
      if (onProgress) sent.workDoneToken = this.#token('progress', onProgress, tokens);
      if (onPartialResult) sent.partialResultToken = this.#token('partial', onPartialResult, tokens);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        settle();
        this.#abandoned.set(id, { method, onResult });
        try {
          this.#send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
        } catch {}
        reject(new RadarCancelledError(method, signal.reason));
      };
      const settle = () => {
        this.#pending.delete(id);
        for (const token of tokens) this.#progressHandlers.delete(token);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, { method, resolve, reject, settle, onResult });
      signal?.addEventListener('abort', onAbort, { once: true });
      const message = { jsonrpc: '2.0', id, method };
      if (sent !== undefined) message.params = sent;
      try {
        this.#send(message);
      } catch (error) {
        settle();
        reject(error);
      }
    });
  }

  #unsubscribe(subscriptionId, options) {
    this.#subscriptions.delete(subscriptionId);
    return this.#request('radar.unsubscribe', { subscription: subscriptionId }, options);
  }

  #token(kind, callback, tokens) {
    const token = `radar-node-${kind}-${this.#nextToken++}`;
    this.#progressHandlers.set(token, callback);
    tokens.push(token);
    return token;
  }

  #send(message) {
    const stdin = this.#process.stdin;
    if (stdin.destroyed || stdin.writableEnded) throw this.#connectionError(message.method);
    if (this.listenerCount('trace') > 0) this.emit('trace', { direction: 'send', message });
    stdin.write(encodeFrame(message));
  }

  #throwIfClosed(method) {
    if (this.#closedError) throw this.#connectionError(method);
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
          this.#dispatch(one);
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

  #dispatch(message) {
    if (message === null || typeof message !== 'object') {
      this.emit('protocolError', new ProtocolError(`not a JSON-RPC message: ${JSON.stringify(message)}`));
    } else if (typeof message.method === 'string') {
      if (message.id !== undefined && message.id !== null) {
        // The server sends no requests today; answer any so it never waits on us.
        this.#send({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.MethodNotFound, message: 'Method not found' } });
      } else {
        this.#onNotification(message.method, message.params);
      }
    } else {
      this.#onResponse(message);
    }
  }

  #onResponse(message) {
    const pending = this.#pending.get(message.id);
    if (!pending) {
      const abandoned = this.#abandoned.get(message.id);
      if (abandoned) {
        this.#abandoned.delete(message.id);
        if (message.error === undefined) abandoned.onResult?.(message.result, true);
        return;
      }
      const detail = message.error ? `: ${message.error.code} ${message.error.message}` : '';
      this.emit('protocolError', new ProtocolError(`response to unknown id ${JSON.stringify(message.id)}${detail}`));
      return;
    }
    pending.settle();
    if (message.error !== undefined) {
      pending.reject(RadarError.fromJSON(message.error, pending.method));
      return;
    }
    try {
      pending.onResult?.(message.result, false);
    } catch (error) {
      pending.reject(error);
      return;
    }
    pending.resolve(message.result);
  }

  #onNotification(method, params) {
    this.emit('notification', { method, params });
    if (method === '$/progress') {
      const handler = this.#progressHandlers.get(params?.token);
      this.emit('progress', params);
      if (handler) handler(params.value);
    } else if (method === 'radar/update') {
      const subscription = this.#subscriptions.get(params?.subscription);
      if (subscription) {
        subscription._push(params);
      } else if (this.#subscribing > 0 && typeof params?.subscription === 'string') {
        const early = this.#earlyUpdates.get(params.subscription) ?? [];
        if (early.length < EARLY_UPDATES_LIMIT) early.push(params);
        this.#earlyUpdates.set(params.subscription, early);
      }
      this.emit('update', params);
    }
  }

  #onStderr(text) {
    const lines = (this.#stderrPartial + text).split(/\r?\n/);
    this.#stderrPartial = lines.pop();
    if (this.#stderrPartial.length > 8192) {
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
    const how = error
      ? `could not be started (${error.message})`
      : exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`;
    const stderr = this.stderr;
    const detail = stderr ? `; its last standard error:\n${stderr}` : '';
    const reason = this.#closedError
      ? `radar-rpc client is disposed (the server ${how})`
      : `radar-rpc (pid ${this.pid}) ${how} before answering${detail}`;
    this.#closedError = new RadarConnectionError(reason, { exitCode, signal: exitSignal, stderr, cause: error });
    for (const pending of [...this.#pending.values()]) {
      pending.settle();
      pending.reject(this.#connectionError(pending.method));
    }
    this.#abandoned.clear();
    for (const subscription of this.#subscriptions.values()) subscription._end(this.#connectionError(subscription.method));
    this.#subscriptions.clear();
    this.#resolveExited(this.#exit);
    this.emit('exit', this.#exit);
  }
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
