import type { CsvResult } from './generated/protocol.js';

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
