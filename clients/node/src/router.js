// The bookkeeping of one JSON-RPC session, apart from the process: request ids, progress
// tokens and subscriptions, and the routing of what the server sends (responses by id,
// `$/progress` by token, `radar/update` by subscription). As the Python client's _router.py.
//
// Messages are routed in the order they arrive, so every `$/progress` of a call (the server
// sends them before its response, contract §8) reaches its callback before the call settles,
// and the first `radar/update` of a subscription finds it registered.

import { ErrorCode, RadarCancelledError, RadarError } from './errors.js';
import { ProtocolError } from './framing.js';
import { Subscription } from './subscription.js';

/** Updates kept for a subscription whose `radar.subscribe` answer they overtook. */
export const EARLY_UPDATES_LIMIT = 64;

export class Router {
  #send;
  #emit;
  #nextId = 1;
  #nextToken = 1;
  #pending = new Map(); // id → {method, resolve, reject, settle, onResult}
  #abandoned = new Map(); // ids of calls given up on, still to be answered → {onResult}
  #progressHandlers = new Map(); // token → callback
  #subscriptions = new Map(); // id → Subscription
  #subscribing = 0;
  #earlyUpdates = new Map(); // subscription id → updates that came before its subscribe answer

  /**
   * @param {{send: (message: object) => void, emit: (event: string, value: unknown) => void}} io
   *   `send` writes a message (throws when the server is gone); `emit` reports events.
   */
  constructor({ send, emit }) {
    this.#send = send;
    this.#emit = emit;
  }

  /**
   * Sends a request; the promise settles with its answer. An abort of `signal` settles it at
   * once with a RadarCancelledError and sends `$/cancelRequest`; `onProgress` then receives
   * `{kind: 'end', message: 'cancelled'}` if its `begin` came, so begin always has its end
   * before the promise settles. `onResult(result, late)` sees the result first (late: after an abort).
   */
  request(method, params, { signal, onProgress, onPartialResult } = {}, onResult) {
    if (signal?.aborted) return Promise.reject(new RadarCancelledError(method, signal.reason));
    const id = this.#nextId++;
    const tokens = [];
    let progress = null;
    let sent = params;
    if (onProgress || onPartialResult) {
      if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
        return Promise.reject(new TypeError(`${method}: onProgress/onPartialResult need params that are an object`));
      }
      sent = { ...params };
      if (onProgress) {
        progress = { begun: false, ended: false };
        sent.workDoneToken = this.#token('progress', tokens, (value) => {
          if (value?.kind === 'begin') progress.begun = true;
          if (value?.kind === 'end') progress.ended = true;
          onProgress(value);
        });
      }
      if (onPartialResult) sent.partialResultToken = this.#token('partial', tokens, onPartialResult);
    }
    return new Promise((resolve, reject) => {
      const settle = (endMessage) => {
        this.#pending.delete(id);
        for (const token of tokens) this.#progressHandlers.delete(token);
        signal?.removeEventListener('abort', onAbort);
        if (endMessage && progress?.begun && !progress.ended) {
          progress.ended = true;
          callSafely(onProgress, { kind: 'end', message: endMessage });
        }
      };
      const onAbort = () => {
        settle('cancelled');
        this.#abandoned.set(id, { onResult });
        try {
          this.#send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
        } catch {}
        reject(new RadarCancelledError(method, signal.reason));
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

  /**
   * Settles every call still waiting with `errorFor(method)` (their progress ends with
   * `endMessage`); returns their ids. Their late answers are dropped.
   */
  failCalls(errorFor, endMessage) {
    const failed = [...this.#pending.entries()];
    for (const [id, pending] of failed) {
      pending.settle(endMessage);
      this.#abandoned.set(id, {});
      pending.reject(errorFor(pending.method));
    }
    return failed.map(([id]) => id);
  }

  /** Ends every subscription: quietly (`errorFor` null) or with `errorFor(method)` thrown to its reader. */
  endSubscriptions(errorFor) {
    for (const subscription of this.#subscriptions.values()) subscription._end(errorFor?.(subscription.method) ?? null);
    this.#subscriptions.clear();
  }

  /** Forgets what waits for answers that will never come (the connection is over). */
  clear() {
    this.#abandoned.clear();
    this.#earlyUpdates.clear();
  }

  /**
   * `radar.subscribe` through `request`; resolves with the Subscription, registered while its
   * answer is handled so that an update right behind it finds it.
   */
  async subscribe(method, params, { intervalSeconds, signal, maxBuffered }, stop) {
    const request = { method, params };
    if (intervalSeconds !== undefined) request.intervalSeconds = intervalSeconds;
    this.#subscribing++;
    let subscription;
    try {
      await this.request('radar.subscribe', request, { signal }, (result, late) => {
        if (late) {
          // Answered after the caller gave up: nobody will read it, so stop it on the server.
          if (typeof result?.subscription === 'string') stop(result.subscription).catch(() => {});
          return;
        }
        subscription = new Subscription({
          id: result.subscription, method, params, intervalSeconds, maxBuffered, signal,
          stop: (s) => this.unsubscribed(s.id) && stop(s.id),
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

  /** The live Subscription with this id, if any. */
  subscription(id) {
    return this.#subscriptions.get(id);
  }

  /** Stops routing updates of subscription `id`; true (for chaining). */
  unsubscribed(id) {
    this.#subscriptions.delete(id);
    return true;
  }

  /** Routes one message from the server. Throws what an application callback threw. */
  dispatch(message) {
    if (message === null || typeof message !== 'object') {
      this.#emit('protocolError', new ProtocolError(`not a JSON-RPC message: ${JSON.stringify(message)}`));
    } else if (typeof message.method === 'string') {
      if (message.id !== undefined && message.id !== null) {
        // The server sends no requests today; answer any so it never waits on us.
        this.#send({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.MethodNotFound, message: 'Method not found' } });
      } else {
        this.#notification(message.method, message.params);
      }
    } else {
      this.#response(message);
    }
  }

  #token(kind, tokens, callback) {
    const token = `radar-node-${kind}-${this.#nextToken++}`;
    this.#progressHandlers.set(token, callback);
    tokens.push(token);
    return token;
  }

  #response(message) {
    const pending = this.#pending.get(message.id);
    if (!pending) {
      const abandoned = this.#abandoned.get(message.id);
      if (abandoned) {
        this.#abandoned.delete(message.id);
        if (message.error === undefined) abandoned.onResult?.(message.result, true);
        return;
      }
      const detail = message.error ? `: ${message.error.code} ${message.error.message}` : '';
      this.#emit('protocolError', new ProtocolError(`response to unknown id ${JSON.stringify(message.id)}${detail}`));
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

  #notification(method, params) {
    this.#emit('notification', { method, params });
    if (method === '$/progress') {
      const handler = this.#progressHandlers.get(params?.token);
      this.#emit('progress', params);
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
      this.#emit('update', params);
    }
  }
}

/** Runs an application callback; what it throws is reported as uncaught, after the client's own work. */
export function callSafely(callback, ...args) {
  try {
    callback(...args);
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
