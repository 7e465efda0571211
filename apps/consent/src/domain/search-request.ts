/**
 * The `_search` bodies of the consent API (identifiers travel in the body, never the URL).
 * A patient is given as `{ system, value }` or FHIR's token form `system|value`.
 */
import type { Identifier, WelfareService } from '@knutepunkt/schemas';
import {
  isRegistrableService,
  parseIdentifierShape,
  parseOsloDate,
  registrableServices,
  type JsonObject,
} from './api-input';
import { accepted, refused, type ApiResult } from './consent-api-error';
import { consentStatuses, type ConsentStatus } from './consent-resource';
import type { OsloDate } from './oslo-date';

export const defaultSearchCount = 50;
export const maxSearchCount = 500;

export interface RegistrationSearch {
  readonly identifier: Identifier | null;
  readonly service: WelfareService | null;
  /** Registrations valid on this Oslo date. */
  readonly activeOn: OsloDate | null;
  readonly count: number;
}

export interface ConsentSearch {
  readonly patient: Identifier | null;
  readonly status: ConsentStatus | null;
  readonly count: number;
}

const searchKeys = {
  registrations: ['identifier', 'service', 'activeOn', '_count'],
  consents: ['patient', 'status', '_count'],
} as const;

export function parseRegistrationSearch(body: JsonObject): ApiResult<RegistrationSearch> {
  const unknown = unknownKey(body, searchKeys.registrations);
  if (unknown !== undefined) return unknown;
  const identifier = optionalIdentifier(body['identifier'], 'identifier');
  if (!identifier.ok) return identifier;
  const service = body['service'];
  if (service !== undefined && !isRegistrableService(service)) {
    return refused(
      'CONSENT.INVALID_SEARCH',
      `service must be one of ${registrableServices.join(', ')}.`,
      'service',
    );
  }
  let activeOn: OsloDate | null = null;
  if (body['activeOn'] !== undefined) {
    const parsed = parseOsloDate(body['activeOn'], 'activeOn');
    if (!parsed.ok) return parsed;
    activeOn = parsed.value;
  }
  const count = parseCount(body['_count']);
  if (!count.ok) return count;
  return accepted({
    identifier: identifier.value,
    service: service ?? null,
    activeOn,
    count: count.value,
  });
}

export function parseConsentSearch(body: JsonObject): ApiResult<ConsentSearch> {
  const unknown = unknownKey(body, searchKeys.consents);
  if (unknown !== undefined) return unknown;
  const patient = optionalIdentifier(body['patient'], 'patient');
  if (!patient.ok) return patient;
  const status = body['status'];
  if (status !== undefined && !(consentStatuses as readonly unknown[]).includes(status)) {
    return refused(
      'CONSENT.INVALID_SEARCH',
      `status must be one of ${consentStatuses.join(', ')}.`,
      'status',
    );
  }
  const count = parseCount(body['_count']);
  if (!count.ok) return count;
  return accepted({
    patient: patient.value,
    status: (status as ConsentStatus | undefined) ?? null,
    count: count.value,
  });
}

function unknownKey(
  body: JsonObject,
  known: readonly string[],
): { readonly ok: false; readonly error: ReturnType<typeof refused>['error'] } | undefined {
  const key = Object.keys(body).find((k) => !known.includes(k));
  return key === undefined
    ? undefined
    : refused(
        'CONSENT.INVALID_SEARCH',
        `Unknown search parameter "${key}"; known: ${known.join(', ')}.`,
        key,
      );
}

function optionalIdentifier(value: unknown, path: string): ApiResult<Identifier | null> {
  if (value === undefined) return accepted(null);
  if (typeof value === 'string') {
    const bar = value.indexOf('|');
    if (bar <= 0 || bar === value.length - 1) {
      return refused(
        'CONSENT.INVALID_SEARCH',
        `${path} must be "system|value" or { "system": ..., "value": ... }.`,
        path,
      );
    }
    return accepted({ system: value.slice(0, bar), value: value.slice(bar + 1) });
  }
  const parsed = parseIdentifierShape(value, path);
  return parsed.ok ? parsed : refused('CONSENT.INVALID_SEARCH', parsed.error.message, path);
}

function parseCount(value: unknown): ApiResult<number> {
  if (value === undefined) return accepted(defaultSearchCount);
  const count = typeof value === 'string' ? Number(value) : value;
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > maxSearchCount
  ) {
    return refused(
      'CONSENT.INVALID_SEARCH',
      `_count must be a whole number from 1 to ${maxSearchCount}.`,
      '_count',
    );
  }
  return accepted(count);
}
