import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JWK } from 'jose';
import { DEFAULT_AUDIENCE, DEV_ISSUER, devAuthDir, findRepoRoot } from '../dev-issuer';
import {
  exportPrivateJwk,
  generateSigningKey,
  signingKeyFromPrivateJwk,
  type SigningKey,
} from './keys';
import { signAccessToken, signDpopProof } from './sign';

/** The dev issuer's signing key inside its folder; the JWKS beside it is `jwks.json`. */
const SIGNING_KEY_FILE = 'signing-key.json';
const JWKS_FILE = 'jwks.json';

/**
 * Loads the private key in `file`, or makes an ES256 key and stores it there first (mode
 * 0600). Creation is exclusive, so two first runs at once end with one key:
 * the loser of the race reads the winner's.
 */
export async function loadOrCreateKeyFile(file: string): Promise<SigningKey> {
  try {
    return await readKeyFile(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const key = await generateSigningKey('ES256');
  try {
    await writeFile(file, `${JSON.stringify(await exportPrivateJwk(key), null, 2)}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKeyFile(file);
  }
}

async function readKeyFile(file: string): Promise<SigningKey> {
  const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  if (typeof jwk.d !== 'string') throw new Error(`${file} holds no private key`);
  return signingKeyFromPrivateJwk(jwk);
}

/**
 * The dev issuer's key, and its JWKS written to `<dir>/jwks.json` when missing or stale.
 * The JWKS is replaced atomically (write, then rename), so a service never reads half a file.
 */
export async function devSigningKey(dir: string): Promise<SigningKey> {
  // Only the last folder is private: a 0700 `.local` would lock out the devstack's
  // PostgreSQL, which runs as its own OS user under .local/postgres.
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await loadOrCreateKeyFile(join(dir, SIGNING_KEY_FILE));
  const jwksFile = join(dir, JWKS_FILE);
  const jwks = `${JSON.stringify({ keys: [key.publicJwk] }, null, 2)}\n`;
  const current = await readFile(jwksFile, 'utf8').catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  if (current !== jwks) {
    const temporary = `${jwksFile}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, jwks, { mode: 0o644 });
    await rename(temporary, jwksFile);
  }
  return key;
}

export interface IssueTokenOptions {
  /** The client id: `sub` and `client_id`. */
  readonly sub: string;
  /** Space-separated, or a list. */
  readonly scope: string | readonly string[];
  /** Default `knutepunkt`. */
  readonly aud?: string;
  /** Default the dev issuer, https://dev-issuer.knutepunkt.invalid. */
  readonly iss?: string;
  readonly orgnrParent?: string;
  /** Default 300. */
  readonly ttlSeconds?: number;
  /** Bind the token to the DPoP key in this file (created when missing). */
  readonly dpopKeyFile?: string;
  /** The dev issuer's folder; default `<repo>/.local/auth`. */
  readonly authDir?: string;
  /** Epoch milliseconds; default now. */
  readonly now?: number;
}

/** An access token from the dev issuer, which the services trust outside production. */
export async function issueToken(options: IssueTokenOptions): Promise<string> {
  const key = await devSigningKey(options.authDir ?? devAuthDir(findRepoRoot()));
  const dpopKey =
    options.dpopKeyFile === undefined ? undefined : await loadOrCreateKeyFile(options.dpopKeyFile);
  return signAccessToken(key, {
    issuer: options.iss ?? DEV_ISSUER,
    audience: options.aud ?? DEFAULT_AUDIENCE,
    clientId: options.sub,
    scope: options.scope,
    ...(options.orgnrParent === undefined ? {} : { orgnrParent: options.orgnrParent }),
    ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
    ...(dpopKey === undefined ? {} : { dpopKey }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

export interface DpopProofOptions {
  /** The DPoP key's file (created when missing). */
  readonly dpopKeyFile: string;
  readonly htm: string;
  readonly htu: string;
  /** The access token the proof goes with (sets `ath`). */
  readonly token?: string;
  readonly nonce?: string;
  /** Epoch milliseconds; default now. */
  readonly now?: number;
}

/** A fresh DPoP proof for one request; each call has a new `jti`. */
export async function dpopProof(options: DpopProofOptions): Promise<string> {
  const key = await loadOrCreateKeyFile(options.dpopKeyFile);
  return signDpopProof(key, {
    htm: options.htm,
    htu: options.htu,
    ...(options.token === undefined ? {} : { accessToken: options.token }),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
