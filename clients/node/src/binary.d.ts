/// <reference types="node" />

/**
 * The radar-rpc executable to run: `bin`, else `RADAR_RPC_BIN`, else the one bundled in the
 * package, else the newer of the repository's `.build/release` and `.build/debug`, else PATH. Throws RadarSpawnError naming what was tried.
 */
export declare function resolveBinary(options?: { bin?: string; env?: NodeJS.ProcessEnv }): string;
