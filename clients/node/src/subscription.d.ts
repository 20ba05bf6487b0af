import type { CsvResult, RadarMethodName, RadarResult } from './generated/protocol.js';
import type { RadarError } from './errors.js';

/** One `radar/update`: a new result, or the error of a failed poll (the subscription goes on). */
export type SubscriptionUpdate<R = RadarResult | CsvResult> =
  | { subscription: string; result: R; error?: undefined }
  | { subscription: string; error: RadarError; result?: undefined };

/**
 * A live `radar.subscribe`, iterated with `for await`. Leaving the loop unsubscribes. Throws the
 * client's RadarConnectionError if the server goes away; ends quietly on unsubscribe or dispose.
 */
export declare class Subscription<R = RadarResult | CsvResult> implements AsyncIterableIterator<SubscriptionUpdate<R>> {
  private constructor();
  /** The server's subscription id. */
  readonly id: string;
  /** The Radar method polled. */
  readonly method: RadarMethodName | string;
  /** Its params. */
  readonly params: object;
  /** Seconds between polls, as asked (undefined: the server's default). */
  readonly intervalSeconds: number | undefined;
  /** Updates dropped because the buffer (`maxBuffered`) was full; the oldest go first. */
  readonly dropped: number;
  /** True once stopped. */
  readonly closed: boolean;
  [Symbol.asyncIterator](): this;
  next(): Promise<IteratorResult<SubscriptionUpdate<R>, undefined>>;
  /** Unsubscribes, then ends (what `break` calls). */
  return(value?: unknown): Promise<IteratorResult<SubscriptionUpdate<R>, undefined>>;
  /** Unsubscribes, then rethrows `error`. */
  throw(error?: unknown): Promise<IteratorResult<SubscriptionUpdate<R>, undefined>>;
  /** Sends `radar.unsubscribe` once and ends iteration. Never rejects. */
  unsubscribe(): Promise<void>;
}
