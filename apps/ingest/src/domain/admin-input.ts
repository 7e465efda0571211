import { z } from 'zod';
import { checkOrganisationNumber, type CodedError } from '@knutepunkt/fhir';
import { welfareServiceSymbols, type Client, type Municipality } from '@knutepunkt/schemas';
import { err, ok, type Result } from './result';

/** Every way the admin API refuses a request (ingest-error.http.ts maps them). */
export type AdminErrorCode =
  | 'ADMIN.MALFORMED_JSON'
  | 'ADMIN.INVALID_BODY'
  | 'ADMIN.INVALID_ORGNR'
  | 'ADMIN.INVALID_CLIENT_ID'
  | 'ADMIN.UNKNOWN_MUNICIPALITY'
  | 'ADMIN.KAFKA_UNAVAILABLE';

export type AdminError = CodedError<AdminErrorCode>;

/** ISO 8601 duration as the consent policy takes it (`PT24H`, `P2D`, `P1DT12H`). */
const isoDuration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const absoluteUri = /^(urn:[a-z0-9][a-z0-9-]{0,31}:\S+|https?:\/\/\S+)$/i;
const clientIdPattern = /^[A-Za-z0-9._:@-]{1,128}$/;

const policySchema = z
  .object({
    mode: z.enum(['opt-in', 'opt-out']),
    holdFor: z.string().regex(isoDuration, 'an ISO 8601 duration such as PT24H').default('PT24H'),
  })
  .strict();

const municipalitySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    identifierSystems: z
      .array(z.string().regex(absoluteUri, 'an absolute URI (urn:… or https://…)'))
      .max(20)
      .default([]),
    policy: policySchema.optional(),
  })
  .strict();

const clientSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['vendor', 'epj']),
    municipalities: z.array(z.string()).max(500).default([]),
    services: z.array(z.enum(welfareServiceSymbols)).default([]),
    requireDpop: z.boolean().default(false),
    strict: z.boolean().default(false),
    ratePerSecond: z.number().positive().max(100_000).default(50),
  })
  .strict();

function parseJson(body: string): Result<unknown, AdminError> {
  try {
    return ok(JSON.parse(body) as unknown);
  } catch {
    return err({ code: 'ADMIN.MALFORMED_JSON', message: 'The body is not valid JSON.' });
  }
}

function invalid(error: z.ZodError): AdminError {
  const first = error.issues[0];
  const path = first?.path.join('.') ?? '';
  return {
    code: 'ADMIN.INVALID_BODY',
    message: `${path === '' ? 'body' : path}: ${first?.message ?? 'invalid'}`,
    ...(path === '' ? {} : { expression: path }),
  };
}

function checkOrgnr(orgnr: string): Result<string, AdminError> {
  const checked = checkOrganisationNumber(orgnr);
  return checked.ok
    ? ok(orgnr)
    : err({ code: 'ADMIN.INVALID_ORGNR', message: checked.error.message });
}

/** `PUT /admin/municipalities/{orgnr}`: the organisation number and body as a Municipality. */
export function parseMunicipality(orgnr: string, body: string): Result<Municipality, AdminError> {
  const checked = checkOrgnr(orgnr);
  if (!checked.ok) return checked;
  const json = parseJson(body);
  if (!json.ok) return json;
  const parsed = municipalitySchema.safeParse(json.value);
  if (!parsed.success) return err(invalid(parsed.error));
  const { name, identifierSystems, policy } = parsed.data;
  return ok({ orgnr, name, identifierSystems, policy: policy ?? null });
}

/**
 * `PUT /admin/clients/{clientId}`: the body as a Client. Its municipalities must be valid
 * and already onboarded, so an authorization never points at nothing.
 */
export function parseClient(
  clientId: string,
  body: string,
  isOnboarded: (orgnr: string) => boolean,
): Result<Client, AdminError> {
  if (!clientIdPattern.test(clientId))
    return err({
      code: 'ADMIN.INVALID_CLIENT_ID',
      message: 'A client id is 1-128 characters of letters, digits and . _ : @ -',
    });
  const json = parseJson(body);
  if (!json.ok) return json;
  const parsed = clientSchema.safeParse(json.value);
  if (!parsed.success) return err(invalid(parsed.error));
  const client = parsed.data;
  for (const [index, orgnr] of client.municipalities.entries()) {
    const checked = checkOrgnr(orgnr);
    if (!checked.ok) return err({ ...checked.error, expression: `municipalities[${index}]` });
    if (!isOnboarded(orgnr))
      return err({
        code: 'ADMIN.UNKNOWN_MUNICIPALITY',
        message: `Municipality ${orgnr} is not onboarded; PUT /admin/municipalities/${orgnr} first.`,
        expression: `municipalities[${index}]`,
      });
  }
  return ok({
    clientId,
    name: client.name,
    kind: client.kind,
    municipalities: [...new Set(client.municipalities)],
    services: [...new Set(client.services)],
    requireDpop: client.requireDpop,
    strict: client.strict,
    ratePerSecond: client.ratePerSecond,
  });
}
