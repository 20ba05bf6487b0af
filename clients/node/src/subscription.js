// A live `radar.subscribe`: an async iterable of its `radar/update` notifications.

import { RadarError } from './errors.js';

/**
 * Yields `{subscription, result}` for each new result and `{subscription, error}` (a RadarError)
 * for each failed poll; a failed poll does not end the subscription. Leaving a `for await` loop
 * (break, return, throw) unsubscribes; so do `unsubscribe()` and the `signal` given to
 * `subscribe()`. Iteration ends when the subscription is stopped, and throws the client's
 * RadarConnectionError if the server goes away.
 *
 * Updates the consumer has not read yet are buffered up to `maxBuffered`; past that the oldest is
 * dropped (a subscription is about the latest state) and `dropped` counts them.
 */
export class Subscription {
  #queue = [];
  #waiters = [];
  #ended = false;
  #error = null;
  #stopping = null;
  #stop;
  #maxBuffered;
  #signal = null;
  #onAbort = null;

  /** @internal Created by RadarClient.subscribe(). */
  constructor({ id, method, params, intervalSeconds, maxBuffered, signal, stop }) {
    /** The server's subscription id. */
    this.id = id;
    /** The Radar method polled. */
    this.method = method;
    /** Its params. */
    this.params = params;
    /** Seconds between polls, as asked (undefined: the server's default). */
    this.intervalSeconds = intervalSeconds;
    /** Updates dropped because the buffer was full. */
    this.dropped = 0;
    this.#maxBuffered = maxBuffered;
    this.#stop = stop;
    if (signal) {
      this.#signal = signal;
      this.#onAbort = () => this.unsubscribe();
      signal.addEventListener('abort', this.#onAbort, { once: true });
      if (signal.aborted) queueMicrotask(this.#onAbort);
    }
  }

  /** True once the subscription is stopped (no more updates will be queued). */
  get closed() {
    return this.#ended;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** @returns {Promise<IteratorResult<object>>} */
  next() {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#ended) {
      if (this.#error) {
        const error = this.#error;
        this.#error = null; // thrown once, then the iterator is done
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Called by `for await` on break: unsubscribes, then ends. */
  async return(value) {
    await this.unsubscribe();
    return { value, done: true };
  }

  /** Unsubscribes, then rethrows. */
  async throw(error) {
    await this.unsubscribe();
    throw error;
  }

  /**
   * Stops the subscription: sends `radar.unsubscribe` (once) and ends iteration. Resolves when the
   * server has answered; never rejects (a server that is already gone has no subscription left).
   */
  unsubscribe() {
    this.#stopping ??= (async () => {
      const wasEnded = this.#ended;
      this._end(null);
      if (!wasEnded) await this.#stop(this).catch(() => {});
    })();
    return this.#stopping;
  }

  /** @internal A radar/update for this subscription. */
  _push(params) {
    if (this.#ended) return;
    const update = { subscription: params.subscription };
    if (params.error !== undefined) update.error = RadarError.fromJSON(params.error, this.method);
    else update.result = params.result;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value: update, done: false });
      return;
    }
    this.#queue.push(update);
    if (this.#queue.length > this.#maxBuffered) {
      this.#queue.shift();
      this.dropped++;
    }
  }

  /** @internal Ends iteration: with an error (thrown to the reader) or quietly. */
  _end(error) {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const waiter of this.#waiters.splice(0)) {
      if (error) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
      error = null; // one reader gets the error, the others see the end
    }
    if (error) this.#error = error;
  }
}
