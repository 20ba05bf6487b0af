/// <reference types="node" />
import { EventEmitter } from 'node:events';
import type {
  CsvResult, InitializeParams, InitializeResult, MethodMap, ProgressParams, RadarApi, RadarMethodName,
  RadarResult, RadarSeries, RadarUpdateParams, ServerStats, WorkDoneProgress,
} from './generated/protocol.js';
import type { ProtocolError } from './framing.js';
import type { Subscription } from './subscription.js';

export interface RadarClientOptions {
  /** The executable (a path, or a name looked up on PATH). Default: RADAR_RPC_BIN, the repository's .build, PATH. */
  bin?: string;
  /** Extra command-line arguments (`--log-level debug`, `--max-subscriptions 8`, …). */
  args?: string[];
  /** Adds `--demo`: the embedded synthetic Radar, no token, no network. */
  demo?: boolean;
  /** Adds `--demo-latency MS`. */
  demoLatencyMs?: number;
  /** The server's environment (default `process.env`); credentials may come from here (CLOUDFLARE_API_TOKEN). */
  env?: NodeJS.ProcessEnv;
  /** The server's working directory. */
  cwd?: string;
  /** A Cloudflare API token sent as `initializationOptions.apiToken` by `initialize()`; never on the command line. */
  apiToken?: string;
}

/** Options of one call. */
export interface CallOptions {
  /** Aborting sends `$/cancelRequest` and rejects the call at once with a RadarCancelledError (-32800, name 'AbortError'). */
  signal?: AbortSignal;
  /**
   * Sets a fresh `workDoneToken`; receives its `$/progress` values: begin, report…, end, all before
   * the promise settles. A call that settles on the client's side (abort, dispose, the server gone)
   * gets `{kind: 'end', message: 'cancelled'}` (or `'radar-rpc is gone'`) from the client.
   */
  onProgress?: (value: WorkDoneProgress) => void;
  /**
   * Sets a fresh `partialResultToken`; receives one `{"<series>": series}` per series as soon as it is
   * known. The call then resolves with `{meta}` alone.
   */
  onPartialResult?: (value: { [series: string]: RadarSeries }) => void;
}

export interface SubscribeOptions {
  /** Seconds between polls (server default 60, at least 1). */
  intervalSeconds?: number;
  /** Aborting unsubscribes (or cancels the subscribe request still in flight). */
  signal?: AbortSignal;
  /** Updates kept for a slow reader before the oldest is dropped (default 64). */
  maxBuffered?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TraceEvent {
  direction: 'send' | 'receive';
  message: unknown;
}

/** A radar-rpc server process and the JSON-RPC session with it. */
export declare class RadarClient extends EventEmitter {
  /** Spawns the server at once. Throws RadarSpawnError when no executable is found. */
  constructor(options?: RadarClientOptions);
  /** Spawns the server and sends `initialize` (with `apiToken`); disposes of it if that fails. */
  static start(options?: RadarClientOptions): Promise<RadarClient>;

  /** The executable that was started. */
  readonly bin: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Its process id. */
  readonly pid: number | undefined;
  /** One function per Radar method of the document: `client.radar.netflows.timeseriesGroups(params)`. */
  readonly radar: RadarApi;
  /** The `initialize` result, once answered. */
  serverInfo: InitializeResult | undefined;
  /** Resolves once the process has exited and its pipes are closed. */
  readonly exited: Promise<ExitStatus>;
  /** The exit status once the process is gone, else null. */
  readonly exitStatus: ExitStatus | null;
  /** The last lines the server wrote to standard error. */
  readonly stderr: string;

  /** `initialize`, with `{processId, clientInfo, capabilities, initializationOptions: {apiToken}}` as defaults. */
  initialize(params?: Partial<InitializeParams>, options?: CallOptions): Promise<InitializeResult>;
  /** `server.stats`. */
  stats(options?: CallOptions): Promise<ServerStats>;
  /** `rpc.discover`: the OpenRPC document. */
  discover(options?: CallOptions): Promise<MethodMap['rpc.discover']['result']>;
  /** `shutdown` (dispose() sends it for you). */
  shutdown(options?: CallOptions): Promise<null>;
  /** Any method, typed for the document's methods (a Radar method's result narrowed by `format`). */
  call<M extends RadarMethodName>(method: M, params: MethodMap[M]['params'] & { format: 'CSV' }, options?: CallOptions): Promise<CsvResult>;
  call<M extends RadarMethodName>(method: M, params: MethodMap[M]['params'] & { format?: 'JSON' }, options?: CallOptions): Promise<RadarResult>;
  call<M extends keyof MethodMap>(method: M, params?: MethodMap[M]['params'], options?: CallOptions): Promise<MethodMap[M]['result']>;
  call(method: string, params?: unknown, options?: CallOptions): Promise<unknown>;
  /** Sends a notification. */
  notify(method: string, params?: unknown): void;
  /** `radar.subscribe`: resolves with an async iterable of updates once the server has accepted it. */
  subscribe<M extends RadarMethodName>(method: M, params: MethodMap[M]['params'] & { format: 'CSV' }, options?: SubscribeOptions): Promise<Subscription<CsvResult>>;
  subscribe<M extends RadarMethodName>(method: M, params: MethodMap[M]['params'] & { format?: 'JSON' }, options?: SubscribeOptions): Promise<Subscription<RadarResult>>;
  subscribe<M extends RadarMethodName>(method: M, params: MethodMap[M]['params'], options?: SubscribeOptions): Promise<Subscription>;
  /** `radar.unsubscribe` by id. */
  unsubscribe(subscription: string, options?: CallOptions): Promise<true>;
  /**
   * Stops the server as the contract's lifecycle says: calls in flight reject at once
   * (RadarConnectionError) and are cancelled on the server, subscriptions end, `shutdown` (its
   * answer awaited at most the server's `--shutdown-grace` + 1 s), `exit`, end of input. A healthy
   * server exits with code 0; one still running `timeoutMs` after dispose() began (default: that
   * wait + 2 s) gets SIGTERM, then SIGKILL 2 s later. Idempotent; never rejects.
   */
  dispose(options?: { timeoutMs?: number }): Promise<ExitStatus>;

  on(event: 'progress', listener: (params: ProgressParams) => void): this;
  on(event: 'update', listener: (params: RadarUpdateParams) => void): this;
  on(event: 'notification', listener: (notification: { method: string; params: unknown }) => void): this;
  on(event: 'stderr', listener: (line: string) => void): this;
  on(event: 'trace', listener: (event: TraceEvent) => void): this;
  on(event: 'protocolError', listener: (error: ProtocolError) => void): this;
  on(event: 'exit', listener: (status: ExitStatus) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  once(event: 'progress', listener: (params: ProgressParams) => void): this;
  once(event: 'update', listener: (params: RadarUpdateParams) => void): this;
  once(event: 'exit', listener: (status: ExitStatus) => void): this;
  once(event: string | symbol, listener: (...args: any[]) => void): this;
}
