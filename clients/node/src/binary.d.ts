/// <reference types="node" />

/**
 * The radar-rpc executable to run: `bin`, else `RADAR_RPC_BIN`, else the repository's
 * `.build/release` then `.build/debug`, else PATH. Throws RadarSpawnError naming what was tried.
 */
export declare function resolveBinary(options?: { bin?: string; env?: NodeJS.ProcessEnv }): string;
