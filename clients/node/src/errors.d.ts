import type { ErrorDataMap, Violation, errorCodes } from './generated/protocol.js';

/** Error codes by name, as the OpenRPC document lists them (components/errors). */
export declare const ErrorCode: typeof errorCodes;

/** A JSON-RPC error answered by radar-rpc: the contract's code, message and data. */
export declare class RadarError<Data = unknown> extends Error {
  constructor(code: number, message: string, data?: Data, options?: { method?: string; cause?: unknown });
  /** Builds a RadarError from a JSON-RPC error object. */
  static fromJSON(error: { code: number; message: string; data?: unknown }, method?: string): RadarError;
  name: string;
  /** The contract's numeric error code. */
  readonly code: number;
  /** The error's `data` member, as sent. */
  readonly data: Data;
  /** The message exactly as the server sent it (`message` is prefixed with the method). */
  readonly serverMessage: string;
  /** The method of the call that failed, when known. */
  readonly method: string | undefined;
  /** The name of the code in ErrorCode, or undefined for a code outside the table. */
  readonly codeName: keyof typeof ErrorCode | undefined;
  /** For -32602: every violation; otherwise empty. */
  readonly violations: Violation[];
  /** For -32601: close method names; for -32602: the violations' suggestions. */
  readonly didYouMean: string[];
  /** For -32003: the seconds Cloudflare asked to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** Cloudflare's HTTP status, for the upstream errors that carry one. */
  readonly httpStatus: number | undefined;
  isParseError(): boolean;
  isInvalidRequest(): boolean;
  isMethodNotFound(): this is RadarError<ErrorDataMap['-32601']>;
  isInvalidParams(): this is RadarError<ErrorDataMap['-32602']>;
  isInternalError(): boolean;
  /** -32800 (cancelled by the client) or -32802 (cancelled by the server: shutdown grace, `exit`, a signal, or the drain deadline). */
  isCancelled(): boolean;
  isUpstreamError(): this is RadarError<ErrorDataMap['-32001']>;
  isRateLimited(): this is RadarError<ErrorDataMap['-32003']>;
  isUpstreamUnavailable(): this is RadarError<ErrorDataMap['-32004']>;
  /** -32005: no credentials, or Cloudflare rejected them. */
  isUnauthorized(): this is RadarError<ErrorDataMap['-32005']>;
  /** -32006: the server's `--max-subscriptions` limit is reached. */
  isSubscriptionLimit(): boolean;
  /** Rate limited, upstream unavailable, or cancelled by the server: worth trying again later. */
  isRetryable(): boolean;
  toJSON(): { name: string; code: number; message: string; data: Data };
}

/**
 * The call's AbortSignal fired: code -32800, name 'AbortError', `cause` the signal's reason. The
 * promise rejects at once; `$/cancelRequest` has been sent if the request was.
 */
export declare class RadarCancelledError extends RadarError<undefined> {
  constructor(method: string, reason?: unknown);
  name: 'AbortError';
}

/** The server process is gone before the call got its answer, or the client was disposed. */
export declare class RadarConnectionError extends Error {
  constructor(message: string, details?: { exitCode?: number | null; signal?: string | null; stderr?: string; cause?: unknown });
  name: 'RadarConnectionError';
  readonly code: 'ERR_RADAR_CONNECTION';
  /** The server's exit code, or null. */
  readonly exitCode: number | null;
  /** The signal that ended the server, or null. */
  readonly signal: string | null;
  /** The last lines the server wrote to standard error. */
  readonly stderr: string;
}

/** No radar-rpc executable was found. */
export declare class RadarSpawnError extends Error {
  constructor(message: string, tried: string[]);
  name: 'RadarSpawnError';
  readonly code: 'ERR_RADAR_SPAWN';
  /** Every path looked at, in order. */
  readonly tried: string[];
}
