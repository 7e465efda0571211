export { generateSigningKey, signingKeyFromPrivateJwk, exportPrivateJwk, publicPart } from './keys';
export type { SigningKey } from './keys';
export { signAccessToken, signDpopProof } from './sign';
export type { AccessTokenClaims, DpopProofClaims } from './sign';
export { createTestIssuer } from './test-issuer';
export type { TestIssuer } from './test-issuer';
export { issueToken, dpopProof, devSigningKey, loadOrCreateKeyFile } from './dev-issuer-store';
export type { IssueTokenOptions, DpopProofOptions } from './dev-issuer-store';
