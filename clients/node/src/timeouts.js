// Every bounded wait of the client, in milliseconds, defined once.
//
// dispose() follows the contract's lifecycle (protocol/README.md, Lifecycle; LSP 3.17
// shutdown/exit): calls in flight are cancelled and rejected at once; `shutdown` is sent and
// its answer awaited at most the server's shutdown grace plus a margin; `exit` is sent and the
// server's input ended; the process gets EXIT_TIMEOUT_MS to exit. Only a server that has not
// exited by then gets SIGTERM (radar-rpc exits within 1 s of it), and SIGKILL only if SIGTERM
// did not work either.

/** The server's `--shutdown-grace` default: how long `shutdown` lets calls in flight finish. */
export const SHUTDOWN_GRACE_MS = 2000;
/** Added to the grace when waiting for `shutdown`'s answer (a busy machine, a slow pipe). */
export const SHUTDOWN_MARGIN_MS = 1000;
/** After `exit` and end of input: how long the process gets to exit before SIGTERM. */
export const EXIT_TIMEOUT_MS = 2000;
/** After SIGTERM: how long before SIGKILL. */
export const TERMINATE_TIMEOUT_MS = 2000;
/** After the process exits: how long its pipes get to close ('close' event) before the exit is reported anyway. */
export const PIPES_TIMEOUT_MS = 2000;

/**
 * How long to wait for `shutdown`'s answer: the grace the server was started with
 * (`--shutdown-grace N` or `--shutdown-grace=N` among `args`, else the default) plus the margin.
 * @param {readonly string[]} args
 */
export function shutdownTimeoutMs(args) {
  let grace = SHUTDOWN_GRACE_MS;
  args.forEach((arg, index) => {
    const value = arg === '--shutdown-grace' ? args[index + 1] : arg.startsWith('--shutdown-grace=') ? arg.slice(17) : undefined;
    const seconds = Number(value);
    if (value !== undefined && Number.isFinite(seconds) && seconds >= 0) grace = seconds * 1000;
  });
  return grace + SHUTDOWN_MARGIN_MS;
}
