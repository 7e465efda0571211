export { createTokenVerifier } from './token-verifier';
export type {
  TokenVerifier,
  TokenVerifierOptions,
  VerifyRequest,
  VerifyResult,
} from './token-verifier';
export type { Principal } from './principal';
export { OrgnrClaims } from './principal';
export type { AuthError, AuthErrorCode, AuthErrorStatus, AuthScheme } from './errors';
export { Scopes, allScopes, parseScopeClaim } from './scopes';
export type { Scope } from './scopes';
export { requireScope } from './require-scope';
export { ALLOWED_ALGORITHMS } from './algorithms';
export type { AllowedAlgorithm } from './algorithms';
export type { JwksSource } from './jwks';
export { InMemoryReplayCache, ReplayCacheFullError, replayKey } from './replay-cache';
export type { ReplayCache, InMemoryReplayCacheOptions } from './replay-cache';
export { PgReplayCache, pgReplayCacheDdl } from './pg-replay-cache';
export type { PgReplayCacheOptions } from './pg-replay-cache';
export { createHmacDpopNonces } from './dpop-nonce';
export type { DpopNonceSource, HmacDpopNonceOptions } from './dpop-nonce';
export { accessTokenHash } from './dpop-proof';
export { normalizeHtu } from './htu';
export { authEnv, authSettings } from './auth-env';
export type { AuthEnv, AuthSettings } from './auth-env';
export { DEV_ISSUER, DEFAULT_AUDIENCE, devAuthDir, devJwksFile, findRepoRoot } from './dev-issuer';
export {
  AuthorizationRegister,
  registryKeys,
  registryEntryOf,
  registryRecordOf,
} from './authorization-register';
export type { AccessRefusal, AccessVerdict, RegistryEntry } from './authorization-register';
