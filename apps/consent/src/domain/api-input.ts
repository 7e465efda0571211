/**
 * Reading the consent API's JSON bodies: identifiers, Oslo dates and services, each refused
 * with a stable code and the offending element's path. Messages never repeat an identifier.
 */
import {
  checkNationalIdentifier,
  isNationalIdentitySystem,
  nationalIdentitySystems,
  type Environment,
} from '@knutepunkt/fhir';
import type { Identifier, WelfareService } from '@knutepunkt/schemas';
import { accepted, refused, type ApiResult } from './consent-api-error';
import { osloDateOf, type OsloDate } from './oslo-date';

/** The services a registration or a Consent may name (DESIGN.md "Who uses it"). */
export const registrableServices: readonly WelfareService[] = ['TA', 'GPS', 'MD', 'DT', 'DHO'];

/** What identifiers the municipality accepts, besides the national identity numbers. */
export interface IdentifierRules {
  readonly environment: Environment;
  /** The municipality's own patient identifier systems (Municipality.identifierSystems). */
  readonly municipalitySystems: readonly string[];
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a request body sent as text; anything but a JSON object is refused. */
export function parseJsonObject(text: string): ApiResult<JsonObject> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refused('CONSENT.MALFORMED_JSON', 'The body is not valid JSON.');
  }
  return isObject(parsed)
    ? accepted(parsed)
    : refused('CONSENT.MALFORMED_JSON', 'The body must be a JSON object.');
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** A `{ system, value }` with both non-empty, no other checks. */
export function parseIdentifierShape(value: unknown, path: string): ApiResult<Identifier> {
  if (!isObject(value) || !nonEmptyString(value['system']) || !nonEmptyString(value['value'])) {
    return refused(
      'CONSENT.INVALID_IDENTIFIER',
      `${path} must be an identifier { "system": "...", "value": "..." } with both set.`,
      path,
    );
  }
  return accepted({ system: value['system'], value: value['value'] });
}

/**
 * A patient identifier: a national identity number (checked: format, check digits, and the
 * environment's rule on synthetic and real numbers) or one of the municipality's own systems.
 */
export function parsePatientIdentifier(
  value: unknown,
  path: string,
  rules: IdentifierRules,
): ApiResult<Identifier> {
  const shape = parseIdentifierShape(value, path);
  if (!shape.ok) return shape;
  const identifier = shape.value;
  if (isNationalIdentitySystem(identifier.system)) {
    const checked = checkNationalIdentifier(
      { system: identifier.system, value: identifier.value },
      { environment: rules.environment, expression: `${path}.value` },
    );
    if (!checked.ok) {
      return refused('CONSENT.INVALID_IDENTIFIER', checked.error.message, `${path}.value`);
    }
    return accepted(identifier);
  }
  if (!rules.municipalitySystems.includes(identifier.system)) {
    return refused(
      'CONSENT.UNKNOWN_IDENTIFIER_SYSTEM',
      `${path}.system ${identifier.system} is neither a national identity number system nor one of the municipality's identifier systems.`,
      `${path}.system`,
    );
  }
  return accepted(identifier);
}

/** National identity numbers first (fødselsnummer, D-number, FHN), then the rest as given. */
export function preferredFirst(identifiers: readonly Identifier[]): Identifier[] {
  const rank = (identifier: Identifier): number => {
    const order: readonly string[] = [
      nationalIdentitySystems.fodselsnummer,
      nationalIdentitySystems.dNumber,
      nationalIdentitySystems.fhn,
    ];
    const index = order.indexOf(identifier.system);
    return index === -1 ? order.length : index;
  };
  return identifiers
    .map((identifier, position) => ({ identifier, position }))
    .sort((a, b) => rank(a.identifier) - rank(b.identifier) || a.position - b.position)
    .map((entry) => entry.identifier);
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** `YYYY-MM-DD`, taken as a date in Europe/Oslo. */
export function parseOsloDate(value: unknown, path: string): ApiResult<OsloDate> {
  if (typeof value === 'string' && isCalendarDate(value)) return accepted(value);
  return refused(
    'CONSENT.INVALID_DATE',
    `${path} must be a date YYYY-MM-DD (Norway's time zone).`,
    path,
  );
}

/**
 * A FHIR date or dateTime bound (Consent.provision.period): a date is taken as an Oslo date,
 * a dateTime with its zone is turned into the Oslo date it falls on. Year or year-month
 * alone is refused: a consent's bounds must be days.
 */
export function parseFhirDateBound(value: unknown, path: string): ApiResult<OsloDate> {
  if (typeof value === 'string') {
    if (isCalendarDate(value)) return accepted(value);
    if (dateTimePattern.test(value) && isCalendarDate(value.slice(0, 10))) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) return accepted(osloDateOf(at));
    }
  }
  return refused(
    'CONSENT.INVALID_DATE',
    `${path} must be a FHIR date (YYYY-MM-DD, an Oslo date) or a dateTime with a time zone.`,
    path,
  );
}

export function isRegistrableService(value: unknown): value is WelfareService {
  return typeof value === 'string' && (registrableServices as readonly string[]).includes(value);
}

export function sameIdentifierValue(a: Identifier, b: Identifier): boolean {
  return a.system === b.system && a.value === b.value;
}
