import type { CsvResult, NumericString, RadarResult, RadarSeries } from './generated/protocol.js';

export { RadarClient } from './client.js';
export type { CallOptions, ExitStatus, RadarClientOptions, SubscribeOptions, TraceEvent } from './client.js';
export { Subscription } from './subscription.js';
export type { SubscriptionUpdate } from './subscription.js';
export { ErrorCode, RadarCancelledError, RadarConnectionError, RadarError, RadarSpawnError } from './errors.js';
export { FrameDecoder, ProtocolError, encodeFrame, parseBody } from './framing.js';
export type { FrameDecoderOptions } from './framing.js';
export { resolveBinary } from './binary.js';
export * from './generated/protocol.js';

/** True when a Radar result is the `format: "CSV"` shape. */
export declare function isCsvResult(result: unknown): result is CsvResult;

/**
 * The keys of an object the client decoded, in the order the server sent them. JavaScript
 * lists integer-like keys (AS numbers) first and ascending; Radar sends groups largest first.
 * For objects the client did not decode: `Object.keys(object)`.
 */
export declare function wireKeys(object: object): string[];
/** The series of a Radar result as `[name, series]` pairs, in wire order, without `meta`. */
export declare function seriesOf(result: RadarResult): Array<[name: string, series: RadarSeries]>;
/** The groups of one series as `[group, values]` pairs, in wire order (largest first, `other` last), without `timestamps`. */
export declare function groupsOf(series: RadarSeries): Array<[group: string, values: NumericString[]]>;
