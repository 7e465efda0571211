import { stat, readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

/** Where the issuer's public keys come from. */
export type JwksSource =
  /** The issuer's `jwks_uri` (production: HelseID). Cached; refetched on an unknown `kid`. */
  | {
      readonly url: string;
      readonly timeoutMs?: number;
      /** No refetch sooner than this after the last one (an unknown `kid` cannot force a storm). */
      readonly cooldownMs?: number;
      readonly cacheMaxAgeMs?: number;
    }
  /** A JWKS file (the dev issuer's `.local/auth/jwks.json`, or a mounted file). */
  | { readonly file: string; readonly reloadCooldownMs?: number }
  /** A JWKS in memory (tests, benchmarks): the set itself is the source. */
  | { readonly keys: JSONWebKeySet['keys'] };

export function createKeyResolver(source: JwksSource): JWTVerifyGetKey {
  if ('url' in source) {
    return createRemoteJWKSet(new URL(source.url), {
      timeoutDuration: source.timeoutMs ?? 5_000,
      cooldownDuration: source.cooldownMs ?? 30_000,
      cacheMaxAge: source.cacheMaxAgeMs ?? 600_000,
    });
  }
  if ('file' in source) return createFileKeyResolver(source.file, source.reloadCooldownMs ?? 1_000);
  return createLocalJWKSet({ keys: [...source.keys] });
}

interface LoadedKeys {
  readonly resolve: JWTVerifyGetKey;
  readonly mtimeMs: number;
}

/**
 * Reads the file on first use, not at construction: a service may start before the dev
 * issuer has made its first key. When a token names a key the loaded set lacks, the file is
 * re-read if it changed (at most once per cooldown), so a rotated or newly created key is
 * picked up without a restart. A missing or unreadable file rejects with the fs or JSON
 * error, which the verifier reports as AUTH.UNAVAILABLE.
 */
function createFileKeyResolver(path: string, reloadCooldownMs: number): JWTVerifyGetKey {
  let loaded: LoadedKeys | undefined;
  let lastReloadAt = 0;

  const load = async (): Promise<LoadedKeys> => {
    const { mtimeMs } = await stat(path);
    if (loaded?.mtimeMs === mtimeMs) return loaded;
    const jwks = JSON.parse(await readFile(path, 'utf8')) as JSONWebKeySet;
    loaded = { resolve: createLocalJWKSet(jwks), mtimeMs };
    return loaded;
  };

  return async (header, token) => {
    const current = loaded ?? (await load());
    try {
      return await current.resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (Date.now() - lastReloadAt < reloadCooldownMs) throw error;
      lastReloadAt = Date.now();
      const reloaded = await load();
      if (reloaded === current) throw error;
      return reloaded.resolve(header, token);
    }
  };
}
