/**
 * `POST /consent/{orgnr}/Consent` (DESIGN.md "Consent API"): a FHIR R4 Consent read into the
 * consent or reservation it records. What the decision needs is taken from:
 *
 * - `status` (FHIR ConsentState codes);
 * - `patient.identifier` (a Reference by identifier: a national identity number or one of the
 *   municipality's identifier systems; a literal reference cannot be resolved here);
 * - `provision.type` — `permit` is a consent, `deny` a reservation;
 * - `provision.period` — dates (or dateTimes) taken as Oslo dates, both ends inclusive;
 * - `provision.code` — the services it covers, as codings in {@link welfareServiceSystem};
 *   absent means every service.
 *
 * R4's own required elements (`scope`, `category`) are checked too, so what is stored is a
 * valid Consent.
 */
import type { ConsentProvision, Identifier, WelfareService } from '@knutepunkt/schemas';
import {
  isObject,
  isRegistrableService,
  parseFhirDateBound,
  parsePatientIdentifier,
  registrableServices,
  type IdentifierRules,
  type JsonObject,
} from './api-input';
import { accepted, refused, type ApiResult } from './consent-api-error';
import type { OsloDate } from './oslo-date';

/** Knutepunkt's code system for the welfare-technology services in `Consent.provision.code`. */
export const welfareServiceSystem = 'https://knutepunkt.no/fhir/CodeSystem/welfare-service';

/** FHIR R4 ConsentState (http://hl7.org/fhir/consent-state-codes). */
export const consentStatuses = [
  'draft',
  'proposed',
  'active',
  'rejected',
  'inactive',
  'entered-in-error',
] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

const fhirIdPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** A Consent as recorded: the parts the decision needs, and the resource as sent. */
export interface ConsentInput {
  /** The resource's `id` when the sender gave one (a repeat POST updates it), else null. */
  readonly id: string | null;
  readonly status: ConsentStatus;
  readonly provision: ConsentProvision;
  readonly patient: Identifier;
  /** Empty: every service. */
  readonly services: readonly WelfareService[];
  readonly periodStart: OsloDate | null;
  readonly periodEnd: OsloDate | null;
  readonly resource: JsonObject;
}

export function parseConsentResource(
  body: JsonObject,
  rules: IdentifierRules,
): ApiResult<ConsentInput> {
  if (body['resourceType'] !== 'Consent') {
    return refused(
      'CONSENT.NOT_A_CONSENT',
      'The body must be a FHIR R4 Consent resource ("resourceType": "Consent").',
      'resourceType',
    );
  }
  const id = body['id'];
  if (id !== undefined && (typeof id !== 'string' || !fhirIdPattern.test(id))) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.id must be a FHIR id: 1-64 letters, digits, "-" or ".".',
      'Consent.id',
    );
  }
  const status = body['status'];
  if (!(consentStatuses as readonly unknown[]).includes(status)) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      `Consent.status must be one of ${consentStatuses.join(', ')}.`,
      'Consent.status',
    );
  }
  if (!isCodeableConcept(body['scope'])) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.scope is required in FHIR R4 (e.g. patient-privacy from http://terminology.hl7.org/CodeSystem/consentscope).',
      'Consent.scope',
    );
  }
  const category = body['category'];
  if (!Array.isArray(category) || category.length === 0 || !category.every(isCodeableConcept)) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.category needs at least one CodeableConcept in FHIR R4 (e.g. LOINC 59284-0).',
      'Consent.category',
    );
  }
  const patientReference = body['patient'];
  if (!isObject(patientReference) || patientReference['identifier'] === undefined) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.patient must name the patient by identifier: { "identifier": { "system": ..., "value": ... } }.',
      'Consent.patient.identifier',
    );
  }
  const patient = parsePatientIdentifier(
    patientReference['identifier'],
    'Consent.patient.identifier',
    rules,
  );
  if (!patient.ok) return patient;

  const provision = body['provision'];
  if (!isObject(provision) || (provision['type'] !== 'permit' && provision['type'] !== 'deny')) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.provision.type must be "permit" (a consent) or "deny" (a reservation).',
      'Consent.provision.type',
    );
  }
  const period = parsePeriod(provision['period']);
  if (!period.ok) return period;
  const services = parseServices(provision['code']);
  if (!services.ok) return services;

  return accepted({
    id: typeof id === 'string' ? id : null,
    status: status as ConsentStatus,
    provision: provision['type'],
    patient: patient.value,
    services: services.value,
    periodStart: period.value.start,
    periodEnd: period.value.end,
    resource: body,
  });
}

function isCodeableConcept(value: unknown): boolean {
  if (!isObject(value)) return false;
  const coding = value['coding'];
  const hasCoding =
    Array.isArray(coding) &&
    coding.length > 0 &&
    coding.every((c) => isObject(c) && (typeof c['code'] === 'string' || c['code'] === undefined));
  return hasCoding || (typeof value['text'] === 'string' && value['text'].length > 0);
}

function parsePeriod(
  value: unknown,
): ApiResult<{ readonly start: OsloDate | null; readonly end: OsloDate | null }> {
  if (value === undefined) return accepted({ start: null, end: null });
  if (!isObject(value)) {
    return refused(
      'CONSENT.INVALID_CONSENT',
      'Consent.provision.period must be a Period { start?, end? }.',
      'Consent.provision.period',
    );
  }
  let start: OsloDate | null = null;
  let end: OsloDate | null = null;
  if (value['start'] !== undefined) {
    const parsed = parseFhirDateBound(value['start'], 'Consent.provision.period.start');
    if (!parsed.ok) return parsed;
    start = parsed.value;
  }
  if (value['end'] !== undefined) {
    const parsed = parseFhirDateBound(value['end'], 'Consent.provision.period.end');
    if (!parsed.ok) return parsed;
    end = parsed.value;
  }
  if (start !== null && end !== null && end < start) {
    return refused(
      'CONSENT.INVALID_DATE',
      'Consent.provision.period.end is before its start.',
      'Consent.provision.period.end',
    );
  }
  return accepted({ start, end });
}

function parseServices(value: unknown): ApiResult<WelfareService[]> {
  if (value === undefined) return accepted([]);
  const path = 'Consent.provision.code';
  if (!Array.isArray(value)) {
    return refused('CONSENT.INVALID_CONSENT', `${path} must be a list of CodeableConcepts.`, path);
  }
  const named = new Set<WelfareService>();
  for (const [index, concept] of value.entries()) {
    const codings = isObject(concept) && Array.isArray(concept['coding']) ? concept['coding'] : [];
    const ours = codings.filter(
      (coding): coding is JsonObject =>
        isObject(coding) && coding['system'] === welfareServiceSystem,
    );
    if (ours.length === 0) {
      // A code the decision cannot read would silently widen or narrow the consent.
      return refused(
        'CONSENT.INVALID_CONSENT',
        `${path}[${index}] must carry a coding in ${welfareServiceSystem} (${registrableServices.join(', ')}); leave provision.code out to cover every service.`,
        `${path}[${index}]`,
      );
    }
    for (const coding of ours) {
      const code = coding['code'];
      if (!isRegistrableService(code)) {
        return refused(
          'CONSENT.INVALID_CONSENT',
          `${path}[${index}] has a service code that is not one of ${registrableServices.join(', ')}.`,
          `${path}[${index}].coding`,
        );
      }
      named.add(code);
    }
  }
  return accepted(registrableServices.filter((service) => named.has(service)));
}
