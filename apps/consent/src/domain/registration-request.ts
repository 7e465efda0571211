/**
 * `PUT /consent/{orgnr}/registrations` (DESIGN.md "Consent API"): the body read into the
 * registration it asks for, in one canonical form, so an identical PUT compares equal and
 * changes nothing.
 */
import type { DeviceLoan, Identifier, WelfareService } from '@knutepunkt/schemas';
import {
  isObject,
  isRegistrableService,
  parseIdentifierShape,
  parseOsloDate,
  parsePatientIdentifier,
  preferredFirst,
  registrableServices,
  sameIdentifierValue,
  type IdentifierRules,
  type JsonObject,
} from './api-input';
import { accepted, refused, type ApiResult } from './consent-api-error';
import { isDateWithin, type OsloDate } from './oslo-date';

/** A registration as asked for, before it has an id. */
export interface RegistrationRequest {
  /** Preferred first: the national identity number when there is one. */
  readonly identifiers: readonly Identifier[];
  /** Without repeats, in the canonical order TA, GPS, MD, DT, DHO. */
  readonly services: readonly WelfareService[];
  readonly validFrom: OsloDate;
  readonly validTo: OsloDate | null;
  /** Ordered by device, then start of loan. */
  readonly devices: readonly DeviceLoan[];
}

export function parseRegistrationRequest(
  body: JsonObject,
  rules: IdentifierRules,
): ApiResult<RegistrationRequest> {
  const rawIdentifiers = body['identifiers'];
  if (!Array.isArray(rawIdentifiers) || rawIdentifiers.length === 0) {
    return refused(
      'CONSENT.INVALID_REGISTRATION',
      'identifiers must list at least one identifier of the patient.',
      'identifiers',
    );
  }
  const identifiers: Identifier[] = [];
  for (const [index, raw] of rawIdentifiers.entries()) {
    const parsed = parsePatientIdentifier(raw, `identifiers[${index}]`, rules);
    if (!parsed.ok) return parsed;
    if (!identifiers.some((known) => sameIdentifierValue(known, parsed.value))) {
      identifiers.push(parsed.value);
    }
  }

  const rawServices = body['services'];
  if (!Array.isArray(rawServices) || rawServices.length === 0) {
    return refused(
      'CONSENT.INVALID_REGISTRATION',
      `services must list at least one of ${registrableServices.join(', ')}.`,
      'services',
    );
  }
  for (const [index, service] of rawServices.entries()) {
    if (!isRegistrableService(service)) {
      return refused(
        'CONSENT.INVALID_REGISTRATION',
        `services[${index}] must be one of ${registrableServices.join(', ')}.`,
        `services[${index}]`,
      );
    }
  }
  const services = registrableServices.filter((service) => rawServices.includes(service));

  const validFrom = parseOsloDate(body['validFrom'], 'validFrom');
  if (!validFrom.ok) return validFrom;
  const validTo = optionalDate(body['validTo'], 'validTo');
  if (!validTo.ok) return validTo;
  if (validTo.value !== null && validTo.value < validFrom.value) {
    return refused('CONSENT.INVALID_DATE', 'validTo is before validFrom.', 'validTo');
  }

  const devices = parseDeviceLoans(body['devices']);
  if (!devices.ok) return devices;

  return accepted({
    identifiers: preferredFirst(identifiers),
    services,
    validFrom: validFrom.value,
    validTo: validTo.value,
    devices: devices.value,
  });
}

function optionalDate(value: unknown, path: string): ApiResult<OsloDate | null> {
  return value === undefined || value === null ? accepted(null) : parseOsloDate(value, path);
}

function parseDeviceLoans(value: unknown): ApiResult<DeviceLoan[]> {
  if (value === undefined || value === null) return accepted([]);
  if (!Array.isArray(value)) {
    return refused(
      'CONSENT.INVALID_REGISTRATION',
      'devices must be a list of loans { identifier, from, to? }.',
      'devices',
    );
  }
  const loans: DeviceLoan[] = [];
  for (const [index, raw] of value.entries()) {
    const path = `devices[${index}]`;
    if (!isObject(raw)) {
      return refused(
        'CONSENT.INVALID_REGISTRATION',
        `${path} must be a loan { identifier, from, to? }.`,
        path,
      );
    }
    const identifier = parseIdentifierShape(raw['identifier'], `${path}.identifier`);
    if (!identifier.ok) return identifier;
    const from = parseOsloDate(raw['from'], `${path}.from`);
    if (!from.ok) return from;
    const to = optionalDate(raw['to'], `${path}.to`);
    if (!to.ok) return to;
    if (to.value !== null && to.value < from.value) {
      return refused('CONSENT.INVALID_DATE', `${path}.to is before its from.`, `${path}.to`);
    }
    loans.push({ identifier: identifier.value, from: from.value, to: to.value });
  }
  loans.sort(
    (a, b) =>
      a.identifier.system.localeCompare(b.identifier.system) ||
      a.identifier.value.localeCompare(b.identifier.value) ||
      a.from.localeCompare(b.from),
  );
  const overlap = firstOverlap(loans);
  if (overlap !== undefined) {
    return refused(
      'CONSENT.DEVICE_LOAN_OVERLAP',
      `Two loans of device ${overlap.identifier.system} in this registration overlap in time; one device is with one patient at a time.`,
      'devices',
    );
  }
  return accepted(loans);
}

/** Whether two loans (dates inclusive, a null end open) share a day. */
export function loansOverlap(
  a: Pick<DeviceLoan, 'from' | 'to'>,
  b: Pick<DeviceLoan, 'from' | 'to'>,
): boolean {
  return isDateWithin(a.from, b.from, b.to) || isDateWithin(b.from, a.from, a.to);
}

/** The first loan that overlaps another loan of the same device in the list. */
export function firstOverlap(loans: readonly DeviceLoan[]): DeviceLoan | undefined {
  return loans.find((loan, index) =>
    loans.some(
      (other, otherIndex) =>
        otherIndex !== index &&
        sameIdentifierValue(loan.identifier, other.identifier) &&
        loansOverlap(loan, other),
    ),
  );
}

/** True when two requests ask for the same registration (an identical PUT is a no-op). */
export function sameRegistration(a: RegistrationRequest, b: RegistrationRequest): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(request: RegistrationRequest): unknown {
  return {
    identifiers: request.identifiers.map((i) => [i.system, i.value]),
    services: request.services,
    validFrom: request.validFrom,
    validTo: request.validTo,
    devices: request.devices.map((d) => [d.identifier.system, d.identifier.value, d.from, d.to]),
  };
}
