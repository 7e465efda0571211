export { issueToken, dpopProof } from '@knutepunkt/auth/testing';
export type { IssueTokenOptions, DpopProofOptions } from '@knutepunkt/auth/testing';
export { parseTokenCommand, runTokenCommand, usage } from './cli';
export type { TokenCommand, ParsedCommand } from './cli';
