import { z } from 'zod';
import { ConfigError, type RuntimeEnv } from '@knutepunkt/config';
import { DEFAULT_AUDIENCE, DEV_ISSUER, devJwksFile, findRepoRoot } from './dev-issuer';
import type { JwksSource } from './jwks';

/** The AUTH_ settings of a service's config; compose with `runtimeEnv`. */
export const authEnv = z.object({
  /** The issuer's exact `iss`. Production: HelseID's (https://helseid-sts.nhn.no). */
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  /** Production: the issuer's jwks_uri. */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** A JWKS file; outside production it defaults to the dev issuer's .local/auth/jwks.json. */
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  AUTH_DPOP_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(300).default(60),
});

export type AuthEnv = z.infer<typeof authEnv>;

/** What `createTokenVerifier` needs from the environment. */
export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JwksSource;
  readonly clockToleranceSeconds: number;
  readonly dpopMaxAgeSeconds: number;
}

/**
 * Resolves the AUTH_ settings. Outside production the dev issuer and its JWKS file are the
 * defaults, so `npm start` and the tests need no configuration. Production must name its
 * issuer and exactly one key source, over https, and may not trust the dev issuer.
 * Throws ConfigError at boot, naming every problem at once, like `loadConfig`.
 */
export function authSettings(
  env: AuthEnv & Pick<RuntimeEnv, 'KNUTEPUNKT_ENV'>,
  repoRoot: string = findRepoRoot(),
): AuthSettings {
  const production = env.KNUTEPUNKT_ENV === 'production';
  const problems: string[] = [];
  if (env.AUTH_JWKS_URL !== undefined && env.AUTH_JWKS_FILE !== undefined) {
    problems.push('AUTH_JWKS_URL, AUTH_JWKS_FILE: set one, not both');
  }
  if (production) {
    if (env.AUTH_ISSUER === undefined) problems.push('AUTH_ISSUER: required in production');
    if (env.AUTH_ISSUER === DEV_ISSUER) {
      problems.push('AUTH_ISSUER: production never trusts the development issuer');
    }
    if (env.AUTH_JWKS_URL === undefined && env.AUTH_JWKS_FILE === undefined) {
      problems.push('AUTH_JWKS_URL: required in production (or AUTH_JWKS_FILE)');
    }
    if (env.AUTH_JWKS_URL !== undefined && !env.AUTH_JWKS_URL.startsWith('https://')) {
      problems.push('AUTH_JWKS_URL: must be https in production');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const jwks: JwksSource =
    env.AUTH_JWKS_URL !== undefined
      ? { url: env.AUTH_JWKS_URL }
      : { file: env.AUTH_JWKS_FILE ?? devJwksFile(repoRoot) };
  return {
    issuer: env.AUTH_ISSUER ?? DEV_ISSUER,
    audience: env.AUTH_AUDIENCE,
    jwks,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    dpopMaxAgeSeconds: env.AUTH_DPOP_MAX_AGE_SECONDS,
  };
}
