// The errors a RadarClient call can reject with.
//
// - RadarError: the server answered with a JSON-RPC error; `code`, `message` and `data` are the
//   server's, as the contract (protocol/README.md) describes them.
// - RadarCancelledError: the call's AbortSignal fired (a RadarError with code -32800 whose name is
//   'AbortError', so both `err.code === -32800` and the usual `err.name === 'AbortError'` work).
// - RadarConnectionError: the server process is gone (exited, killed, or the client was disposed)
//   before the call got its answer.
// - RadarSpawnError: no radar-rpc executable could be found to start.

import { errorCodes } from './generated/protocol.js';

/** Error codes by name, as the OpenRPC document lists them (components/errors), generated. */
export const ErrorCode = errorCodes;

const namesByCode = new Map(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** A JSON-RPC error answered by radar-rpc. */
export class RadarError extends Error {
  /**
   * @param {number} code the contract's error code
   * @param {string} message the server's message, for people
   * @param {unknown} [data] the error's `data` member, as sent
   * @param {{method?: string, cause?: unknown}} [options]
   */
  constructor(code, message, data, { method, cause } = {}) {
    super(method ? `${method}: ${message}` : message, cause === undefined ? undefined : { cause });
    this.name = 'RadarError';
    /** The contract's numeric error code. */
    this.code = code;
    /** The message exactly as the server sent it (`message` is prefixed with the method). */
    this.serverMessage = message;
    /** The error's `data` member (undefined when the server sent none). */
    this.data = data;
    /** The method of the call that failed, when known. */
    this.method = method;
  }

  /** Builds a RadarError from a JSON-RPC error object `{code, message, data}`. */
  static fromJSON(error, method) {
    const code = Number.isInteger(error?.code) ? error.code : ErrorCode.InternalError;
    const message = typeof error?.message === 'string' ? error.message : 'unknown error';
    return new RadarError(code, message, error?.data, { method });
  }

  /** The name of the code in ErrorCode (`'InvalidParams'`, …), or undefined for a code outside the table. */
  get codeName() {
    return namesByCode.get(this.code);
  }

  /** For -32602: every violation `{path, message, didYouMean?}`; otherwise an empty array. */
  get violations() {
    return Array.isArray(this.data?.errors) && this.code === ErrorCode.InvalidParams ? this.data.errors : [];
  }

  /** For -32601: the close method names the server suggests; for -32602: the suggestions of the violations. */
  get didYouMean() {
    if (this.code === ErrorCode.MethodNotFound) return Array.isArray(this.data?.didYouMean) ? this.data.didYouMean : [];
    return this.violations.map((v) => v.didYouMean).filter((s) => typeof s === 'string');
  }

  /** For -32003: the seconds Cloudflare asked to wait, when it said. */
  get retryAfterSeconds() {
    return typeof this.data?.retryAfterSeconds === 'number' ? this.data.retryAfterSeconds : undefined;
  }

  /** Cloudflare's HTTP status, for the upstream errors that carry one. */
  get httpStatus() {
    return typeof this.data?.httpStatus === 'number' ? this.data.httpStatus : undefined;
  }

  isParseError() { return this.code === ErrorCode.ParseError; }
  isInvalidRequest() { return this.code === ErrorCode.InvalidRequest; }
  isMethodNotFound() { return this.code === ErrorCode.MethodNotFound; }
  isInvalidParams() { return this.code === ErrorCode.InvalidParams; }
  isInternalError() { return this.code === ErrorCode.InternalError; }
  /** Cancelled: by this client's AbortSignal or a `$/cancelRequest` (-32800), or by the server (-32802: its shutdown grace ran out, `exit`, a signal). */
  isCancelled() { return this.code === ErrorCode.RequestCancelled || this.code === ErrorCode.ServerCancelled; }
  isUpstreamError() { return this.code === ErrorCode.UpstreamError; }
  isRateLimited() { return this.code === ErrorCode.RateLimited; }
  isUpstreamUnavailable() { return this.code === ErrorCode.UpstreamUnavailable; }
  /** -32005: no credentials, or Cloudflare rejected them. */
  isUnauthorized() { return this.code === ErrorCode.Unauthorized; }
  isSubscriptionLimit() { return this.code === ErrorCode.SubscriptionLimit; }
  /** Worth trying again later: rate limited, upstream unavailable, or cancelled by the server. */
  isRetryable() {
    return this.isRateLimited() || this.isUpstreamUnavailable() || this.code === ErrorCode.ServerCancelled;
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.serverMessage, data: this.data };
  }
}

/**
 * The call's AbortSignal fired. The promise rejects at once (it does not wait for the server);
 * `$/cancelRequest` has been sent if the request was. `cause` is the signal's reason.
 */
export class RadarCancelledError extends RadarError {
  constructor(method, reason) {
    super(ErrorCode.RequestCancelled, 'Request cancelled', undefined, { method, cause: reason });
    this.name = 'AbortError';
  }
}

/** The server process is gone before the call got its answer, or the client was disposed. */
export class RadarConnectionError extends Error {
  /**
   * @param {string} message
   * @param {{exitCode?: number|null, signal?: string|null, stderr?: string, cause?: unknown}} [details]
   */
  constructor(message, { exitCode = null, signal = null, stderr = '', cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RadarConnectionError';
    this.code = 'ERR_RADAR_CONNECTION';
    /** The server's exit code, or null (still running, killed by a signal, or never started). */
    this.exitCode = exitCode;
    /** The signal that ended the server, or null. */
    this.signal = signal;
    /** The last lines the server wrote to standard error. */
    this.stderr = stderr;
  }
}

/** No radar-rpc executable was found; `tried` lists every place looked at, in order. */
export class RadarSpawnError extends Error {
  constructor(message, tried) {
    super(message);
    this.name = 'RadarSpawnError';
    this.code = 'ERR_RADAR_SPAWN';
    this.tried = tried;
  }
}
