import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The local development issuer (tools/token). Its `iss` sits under `.invalid` (RFC 2606), a
 * name that never resolves and that no real issuer can hold, so a token from it can never
 * be mistaken for one from HelseID; production refuses to trust it.
 */
export const DEV_ISSUER = 'https://dev-issuer.knutepunkt.invalid';

/** The audience the services expect unless AUTH_AUDIENCE says otherwise. */
export const DEFAULT_AUDIENCE = 'knutepunkt';

/** `<repo>/.local/auth`: the dev issuer's signing key and the JWKS the services read. */
export function devAuthDir(repoRoot: string): string {
  return join(repoRoot, '.local', 'auth');
}

export function devJwksFile(repoRoot: string): string {
  return join(devAuthDir(repoRoot), 'jwks.json');
}

/** The folder holding nx.json above `start`, or `start` itself when there is none. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}
