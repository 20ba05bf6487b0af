// radar-rpc's Node client: spawn the server, call its methods, stream progress and updates.

export { RadarClient } from './client.js';
export { Subscription } from './subscription.js';
export { RadarError, RadarCancelledError, RadarConnectionError, RadarSpawnError, ErrorCode } from './errors.js';
export { FrameDecoder, ProtocolError, encodeFrame, parseBody } from './framing.js';
export { resolveBinary } from './binary.js';
export { groupsOf, seriesOf, wireKeys } from './wire-order.js';
export { radarMethods, methodNames, errorCodes } from './generated/protocol.js';

/** True when a Radar result is the `format: "CSV"` shape `{format: "CSV", csv}`. */
export function isCsvResult(result) {
  return result !== null && typeof result === 'object' && result.format === 'CSV' && typeof result.csv === 'string';
}
