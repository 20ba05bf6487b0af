// Finds the radar-rpc executable to spawn.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RadarSpawnError } from './errors.js';

const EXECUTABLE = 'radar-rpc';
// Where the packaged client (`npm pack` by scripts/package) has its own copy of the server.
const bundled = fileURLToPath(new URL(`../bin/${EXECUTABLE}`, import.meta.url));
// clients/node/src → the repository root, where `swift build` puts .build/.
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The executable to run, first found of:
 * 1. `options.bin` (a path, or a bare name looked up on PATH),
 * 2. the `RADAR_RPC_BIN` environment variable (same),
 * 3. the binary bundled in this package (`bin/radar-rpc`, in the package scripts/package builds),
 * 4. the newer of the repository's `.build/release/radar-rpc` and `.build/debug/radar-rpc` (a stale
 *    release build must not shadow the debug build just made),
 * 5. `radar-rpc` on PATH.
 * An explicit choice (1 or 2) that does not exist is an error, not a reason to fall back.
 * Throws RadarSpawnError naming everything that was tried.
 *
 * @param {{bin?: string, env?: NodeJS.ProcessEnv}} [options]
 * @returns {string} an absolute path
 */
export function resolveBinary({ bin, env = process.env } = {}) {
  const tried = [];
  const explicit = (value, what) => {
    const found = isBareName(value) ? searchPath(value, env, tried) : check(resolve(value), tried);
    if (found) return found;
    throw new RadarSpawnError(`radar-rpc not found: ${what} is ${JSON.stringify(value)} (tried ${tried.join(', ')})`, tried);
  };
  if (bin) return explicit(bin, 'the bin option');
  if (env.RADAR_RPC_BIN) return explicit(env.RADAR_RPC_BIN, 'RADAR_RPC_BIN');
  if (check(bundled, tried)) return bundled;
  const built = ['release', 'debug']
    .map((configuration) => check(join(repositoryRoot, '.build', configuration, EXECUTABLE), tried))
    .filter(Boolean);
  if (built.length > 0) return built.reduce((a, b) => (statSync(b).mtimeMs > statSync(a).mtimeMs ? b : a));
  const found = searchPath(EXECUTABLE, env, tried);
  if (found) return found;
  throw new RadarSpawnError(
    `radar-rpc not found. Tried: ${tried.join(', ')}. Pass {bin: '/path/to/radar-rpc'}, set RADAR_RPC_BIN, ` +
      "put radar-rpc on PATH, or run 'swift build' in the repository.",
    tried,
  );
}

function isBareName(value) {
  return !isAbsolute(value) && !value.includes('/') && !value.includes(sep);
}

function searchPath(name, env, tried) {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  if (dirs.length === 0) tried.push(`${name} on PATH (PATH is empty)`);
  const suffixes = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';').concat('') : [''];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const found = check(join(dir, name + suffix), tried);
      if (found) return found;
    }
  }
  return null;
}

function check(path, tried) {
  tried.push(path);
  try {
    if (!statSync(path).isFile()) return null;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}
