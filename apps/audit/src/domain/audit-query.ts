import { isNationalIdentitySystem, parseIdentityNumber } from '@knutepunkt/fhir';
import { auditError, type AuditResult } from './audit-error';

/** A patient as a FHIR identifier; never written to a log, a URL or the audit log itself. */
export interface PatientIdentifier {
  readonly system: string;
  readonly value: string;
}

/** Whose rows the caller may see: every municipality (an admin), or the ones listed. */
export interface CallerScope {
  readonly all: boolean;
  /** The municipalities the caller may act for (for an admin: every known one). */
  readonly orgnrs: readonly string[];
}

/** What the store looks up: already narrowed to the caller's municipalities. */
export interface AuditQuery {
  /** Rows of these municipalities only; `all` for every row (admins). */
  readonly orgnrs: readonly string[] | 'all';
  /** The patient's keys, one per municipality in scope; null when no patient was asked for. */
  readonly patientKeys: readonly PatientKeyOf[] | null;
  readonly actor: string | null;
  readonly action: string | null;
  /** Inclusive, epoch milliseconds. */
  readonly from: number | null;
  /** Exclusive, epoch milliseconds. */
  readonly to: number | null;
  readonly count: number;
  /** Rows after this `seq` (the paging cursor); 0 from the start. */
  readonly afterSeq: number;
}

/** The patient key depends on the municipality: the patient has one per municipality. */
export interface PatientKeyOf {
  readonly orgnr: string;
  readonly key: string;
}

export type DerivePatientKey = (orgnr: string, identifier: PatientIdentifier) => string;

export const defaultCount = 100;
export const maxCount = 1000;
/** Innsyn answers in one go; a patient with more rows than this is asked to narrow the period. */
export const innsynLimit = 10_000;

type Body = Readonly<Record<string, unknown>>;

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(body: Body, name: string): AuditResult<string | null> {
  const value = body[name];
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    return auditError('AUDIT.INVALID_REQUEST', `${name} must be a non-empty string.`, name);
  return { ok: true, value };
}

function optionalInstant(body: Body, name: string): AuditResult<number | null> {
  const text = optionalText(body, name);
  if (!text.ok || text.value === null) return text as AuditResult<null>;
  // An instant with a zone, or a date (taken as UTC midnight).
  const valid = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(
    text.value,
  );
  const millis = Date.parse(text.value);
  if (!valid || Number.isNaN(millis))
    return auditError(
      'AUDIT.INVALID_REQUEST',
      `${name} must be an ISO 8601 date or instant with a time zone.`,
      name,
    );
  return { ok: true, value: millis };
}

/** `{ system, value }`, with a valid check digit when it is a national identity number. */
export function parsePatient(value: unknown): AuditResult<PatientIdentifier> {
  if (
    !isBody(value) ||
    typeof value['system'] !== 'string' ||
    typeof value['value'] !== 'string' ||
    value['system'].length === 0 ||
    value['value'].length === 0 ||
    value['system'].length > 200 ||
    value['value'].length > 100
  )
    return auditError(
      'AUDIT.INVALID_REQUEST',
      'patient must be an identifier { system, value } with non-empty strings.',
      'patient',
    );
  const identifier = { system: value['system'], value: value['value'] };
  if (isNationalIdentitySystem(identifier.system)) {
    const parsed = parseIdentityNumber(identifier.value, 'patient.value');
    // The message never repeats the number.
    if (!parsed.ok)
      return auditError(
        'AUDIT.INVALID_IDENTIFIER',
        'patient.value is not a valid national identity number (11 digits, valid check digits).',
        'patient.value',
      );
  }
  return { ok: true, value: identifier };
}

/** The municipalities a query covers: the one asked for (if the caller may), else the scope. */
function municipalitiesOf(
  body: Body,
  scope: CallerScope,
): AuditResult<{ orgnrs: readonly string[] | 'all'; keyOrgnrs: readonly string[] }> {
  const orgnr = optionalText(body, 'orgnr');
  if (!orgnr.ok) return orgnr;
  if (orgnr.value === null)
    return {
      ok: true,
      value: { orgnrs: scope.all ? 'all' : scope.orgnrs, keyOrgnrs: scope.orgnrs },
    };
  if (!/^\d{9}$/.test(orgnr.value))
    return auditError('AUDIT.INVALID_REQUEST', 'orgnr must be 9 digits.', 'orgnr');
  if (!scope.all && !scope.orgnrs.includes(orgnr.value))
    return auditError(
      'AUDIT.MUNICIPALITY_NOT_ALLOWED',
      `This client may not read the audit log of municipality ${orgnr.value}.`,
      'orgnr',
    );
  return { ok: true, value: { orgnrs: [orgnr.value], keyOrgnrs: [orgnr.value] } };
}

function common(
  raw: unknown,
  scope: CallerScope,
  derive: DerivePatientKey,
  patientRequired: boolean,
): AuditResult<{ body: Body; query: Omit<AuditQuery, 'actor' | 'action' | 'count' | 'afterSeq'> }> {
  if (!isBody(raw)) return auditError('AUDIT.INVALID_REQUEST', 'The body must be a JSON object.');
  const municipalities = municipalitiesOf(raw, scope);
  if (!municipalities.ok) return municipalities;
  let patientKeys: PatientKeyOf[] | null = null;
  if (raw['patient'] !== undefined || patientRequired) {
    const patient = parsePatient(raw['patient']);
    if (!patient.ok) return patient;
    // The patient key depends on the municipality: one key per municipality in scope.
    patientKeys = municipalities.value.keyOrgnrs.map((orgnr) => ({
      orgnr,
      key: derive(orgnr, patient.value),
    }));
  }
  const from = optionalInstant(raw, 'from');
  if (!from.ok) return from;
  const to = optionalInstant(raw, 'to');
  if (!to.ok) return to;
  return {
    ok: true,
    value: {
      body: raw,
      query: { orgnrs: municipalities.value.orgnrs, patientKeys, from: from.value, to: to.value },
    },
  };
}

/** `POST /audit/_search`: patient, orgnr, actor (client id), action, from, to, _count, _cursor. */
export function searchQueryOf(
  raw: unknown,
  scope: CallerScope,
  derive: DerivePatientKey,
  cursor: string | undefined,
): AuditResult<AuditQuery> {
  const parsed = common(raw, scope, derive, false);
  if (!parsed.ok) return parsed;
  const { body, query } = parsed.value;
  const actor = optionalText(body, 'actor');
  if (!actor.ok) return actor;
  const action = optionalText(body, 'action');
  if (!action.ok) return action;
  const count = body['_count'] ?? defaultCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > maxCount)
    return auditError(
      'AUDIT.INVALID_REQUEST',
      `_count must be an integer from 1 to ${maxCount}.`,
      '_count',
    );
  const after = cursor ?? (typeof body['_cursor'] === 'string' ? body['_cursor'] : '0');
  if (!/^\d{1,15}$/.test(after))
    return auditError('AUDIT.INVALID_REQUEST', '_cursor is not a cursor this API gave.', '_cursor');
  return {
    ok: true,
    value: { ...query, actor: actor.value, action: action.value, count, afterSeq: Number(after) },
  };
}

/** `POST /audit/innsyn`: `{ patient: { system, value } }`, optionally orgnr, from, to. */
export function innsynQueryOf(
  raw: unknown,
  scope: CallerScope,
  derive: DerivePatientKey,
): AuditResult<AuditQuery> {
  const parsed = common(raw, scope, derive, true);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: { ...parsed.value.query, actor: null, action: null, count: innsynLimit, afterSeq: 0 },
  };
}
