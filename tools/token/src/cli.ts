import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dpopProof, issueToken } from '@knutepunkt/auth/testing';

export const usage = `Usage:
  npm run --silent token -- --sub <clientId> --scope "<scopes>" [options]
      --aud <audience>        default knutepunkt
      --iss <issuer>          default https://dev-issuer.knutepunkt.invalid
      --orgnr-parent <orgnr>  HelseID orgnr_parent claim (9 digits)
      --ttl <seconds>         default 300
      --dpop-key <path>       bind the token to this DPoP key (cnf.jkt); created if missing
  npm run --silent token -- --dpop-proof --dpop-key <path> --htm <METHOD> --htu <url> [--token <token>] [--nonce <nonce>]
Prints one token (or proof) on stdout and nothing else.`;

export type TokenCommand =
  | {
      readonly kind: 'token';
      readonly sub: string;
      readonly scope: string;
      readonly aud?: string;
      readonly iss?: string;
      readonly orgnrParent?: string;
      readonly ttlSeconds?: number;
      readonly dpopKeyFile?: string;
    }
  | {
      readonly kind: 'dpop-proof';
      readonly dpopKeyFile: string;
      readonly htm: string;
      readonly htu: string;
      readonly token?: string;
      readonly nonce?: string;
    };

export type ParsedCommand =
  | { readonly ok: true; readonly command: TokenCommand }
  | { readonly ok: false; readonly message: string };

/**
 * The command line as a value, with every mistake named. Relative key paths resolve against
 * `cwd`: under `npm run` that is the caller's folder (INIT_CWD), not the repository root.
 */
export function parseTokenCommand(argv: readonly string[], cwd: string): ParsedCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        scope: { type: 'string' },
        aud: { type: 'string' },
        iss: { type: 'string' },
        'orgnr-parent': { type: 'string' },
        ttl: { type: 'string' },
        'dpop-key': { type: 'string' },
        'dpop-proof': { type: 'boolean' },
        htm: { type: 'string' },
        htu: { type: 'string' },
        token: { type: 'string' },
        nonce: { type: 'string' },
      },
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const dpopKeyFile =
    values['dpop-key'] === undefined ? undefined : resolve(cwd, values['dpop-key']);

  if (values['dpop-proof'] === true) {
    const problems: string[] = [];
    if (dpopKeyFile === undefined) problems.push('--dpop-key is required with --dpop-proof');
    const htm = values.htm;
    if (htm === undefined || !/^[A-Z]+$/.test(htm))
      problems.push('--htm must be a method such as POST');
    const htu = values.htu;
    if (htu === undefined || !/^https?:\/\/[^/\s]+/.test(htu)) {
      problems.push('--htu must be the absolute http(s) URL of the request');
    }
    for (const tokenOnly of ['sub', 'scope', 'aud', 'iss', 'orgnr-parent', 'ttl'] as const) {
      if (values[tokenOnly] !== undefined)
        problems.push(`--${tokenOnly} does not go with --dpop-proof`);
    }
    if (
      problems.length > 0 ||
      dpopKeyFile === undefined ||
      htm === undefined ||
      htu === undefined
    ) {
      return { ok: false, message: problems.join('; ') };
    }
    return {
      ok: true,
      command: {
        kind: 'dpop-proof',
        dpopKeyFile,
        htm,
        htu,
        ...(values.token === undefined ? {} : { token: values.token }),
        ...(values.nonce === undefined ? {} : { nonce: values.nonce }),
      },
    };
  }

  const problems: string[] = [];
  const sub = values.sub;
  if (sub === undefined || sub.length === 0) problems.push('--sub <clientId> is required');
  const scope = values.scope;
  if (scope === undefined) problems.push('--scope "<scopes>" is required (may be "")');
  const orgnrParent = values['orgnr-parent'];
  if (orgnrParent !== undefined && !/^\d{9}$/.test(orgnrParent)) {
    problems.push('--orgnr-parent must be a 9-digit organisation number');
  }
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    ttlSeconds = Number(values.ttl);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400) {
      problems.push('--ttl must be whole seconds between 1 and 86400');
    }
  }
  for (const proofOnly of ['htm', 'htu', 'token', 'nonce'] as const) {
    if (values[proofOnly] !== undefined)
      problems.push(`--${proofOnly} goes only with --dpop-proof`);
  }
  if (problems.length > 0 || sub === undefined || scope === undefined) {
    return { ok: false, message: problems.join('; ') };
  }
  return {
    ok: true,
    command: {
      kind: 'token',
      sub,
      scope,
      ...(values.aud === undefined ? {} : { aud: values.aud }),
      ...(values.iss === undefined ? {} : { iss: values.iss }),
      ...(orgnrParent === undefined ? {} : { orgnrParent }),
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      ...(dpopKeyFile === undefined ? {} : { dpopKeyFile }),
    },
  };
}

/** Runs a parsed command: the token or proof to print. */
export function runTokenCommand(
  command: TokenCommand,
  options: { readonly authDir?: string } = {},
): Promise<string> {
  switch (command.kind) {
    case 'token':
      return issueToken({
        sub: command.sub,
        scope: command.scope,
        ...(command.aud === undefined ? {} : { aud: command.aud }),
        ...(command.iss === undefined ? {} : { iss: command.iss }),
        ...(command.orgnrParent === undefined ? {} : { orgnrParent: command.orgnrParent }),
        ...(command.ttlSeconds === undefined ? {} : { ttlSeconds: command.ttlSeconds }),
        ...(command.dpopKeyFile === undefined ? {} : { dpopKeyFile: command.dpopKeyFile }),
        ...(options.authDir === undefined ? {} : { authDir: options.authDir }),
      });
    case 'dpop-proof':
      return dpopProof({
        dpopKeyFile: command.dpopKeyFile,
        htm: command.htm,
        htu: command.htu,
        ...(command.token === undefined ? {} : { token: command.token }),
        ...(command.nonce === undefined ? {} : { nonce: command.nonce }),
      });
  }
}
