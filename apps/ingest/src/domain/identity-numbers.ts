import {
  checkNationalIdentifier,
  isNationalIdentitySystem,
  type Environment,
  type NationalIdentitySystem,
} from '@knutepunkt/fhir';
import type { IngestError } from './ingest-error';
import { err, ok, type Result } from './result';
import type { FhirJson } from './submission';

export interface FoundIdentifier {
  readonly system: NationalIdentitySystem;
  readonly value: string;
  readonly expression: string;
}

/**
 * Every national identity number anywhere in the submission (patients, subjects, contained
 * resources, Bundle entries) must be valid and belong to this environment: production takes
 * no synthetic numbers, test and development take no real ones (DESIGN.md "Security").
 * The first offender is named by its FHIRPath, never by its value.
 */
export function checkIdentityNumbers(
  resource: FhirJson,
  environment: Environment,
): Result<readonly FoundIdentifier[], IngestError> {
  const found = nationalIdentifiersIn(resource);
  for (const identifier of found) {
    const checked = checkNationalIdentifier(identifier, {
      environment,
      expression: identifier.expression,
    });
    if (!checked.ok) {
      return err({
        code: 'INGEST.INVALID_IDENTITY_NUMBER',
        message: `${checked.error.message} (${checked.error.code})`,
        expression: identifier.expression,
      });
    }
  }
  return ok(found);
}

export function nationalIdentifiersIn(resource: FhirJson): FoundIdentifier[] {
  const found: FoundIdentifier[] = [];
  const root = typeof resource['resourceType'] === 'string' ? resource['resourceType'] : 'Resource';
  const stack: [unknown, string][] = [[resource, root]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, path] = item;
    if (Array.isArray(value)) {
      value.forEach((element, index) => stack.push([element, `${path}[${index}]`]));
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const record = value as Record<string, unknown>;
    const { system, value: number } = record;
    if (
      typeof system === 'string' &&
      isNationalIdentitySystem(system) &&
      typeof number === 'string'
    ) {
      found.push({ system, value: number, expression: path });
      continue;
    }
    for (const [key, child] of Object.entries(record)) {
      if (typeof child === 'object' && child !== null) stack.push([child, `${path}.${key}`]);
    }
  }
  return found.reverse();
}

export interface MunicipalIdentifier {
  readonly system: string;
  readonly value: string;
  readonly expression: string;
}

/** The Reference elements that name the patient, per resource type (as the normalizer reads them). */
const patientReferenceElements: ReadonlyMap<string, readonly string[]> = new Map([
  ['MedicationDispense', ['subject']],
  ['DetectedIssue', ['patient']],
  ['Flag', ['subject']],
  ['Encounter', ['subject']],
  ['Observation', ['subject']],
  ['Composition', ['subject']],
  ['QuestionnaireResponse', ['subject', 'source']],
]);

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const listOf = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];

/** The submission, its contained resources and, for a Bundle, every entry's, with their FHIRPath. */
function resourcesIn(resource: FhirJson): { resource: JsonObject; path: string }[] {
  const found: { resource: JsonObject; path: string }[] = [];
  const add = (each: JsonObject, path: string) => {
    found.push({ resource: each, path });
    listOf(each['contained']).forEach((contained, index) => {
      if (isObject(contained))
        found.push({ resource: contained, path: `${path}.contained[${String(index)}]` });
    });
  };
  const root = typeof resource['resourceType'] === 'string' ? resource['resourceType'] : 'Resource';
  add(resource, root);
  if (root === 'Bundle') {
    listOf(resource['entry']).forEach((entry, index) => {
      const each = isObject(entry) ? entry['resource'] : undefined;
      if (isObject(each)) add(each, `Bundle.entry[${String(index)}].resource`);
    });
  }
  return found;
}

/**
 * Patients are identified by a national identity number or by one of the municipality's own
 * EPJ identifier systems (DESIGN.md "Topics"; `identifierSystems` of the municipality in the
 * authorization register): a patient reference's logical identifier (`subject.identifier`,
 * `DetectedIssue.patient.identifier`, … unless the reference says it is not a Patient) must be
 * in one of those systems, and a Patient resource must carry at least one identifier in one.
 * Every offender is refused at once. Returns the municipality identifiers found, in document
 * order, for the patient key of a submission that names no national number.
 */
export function checkPatientIdentifierSystems(
  resource: FhirJson,
  municipalitySystems: readonly string[],
): Result<readonly MunicipalIdentifier[], IngestError> {
  const accepted = (system: unknown): system is string =>
    typeof system === 'string' &&
    (isNationalIdentitySystem(system) || municipalitySystems.includes(system));
  const problems: { message: string; expression: string }[] = [];
  const municipal: MunicipalIdentifier[] = [];
  const note = (identifier: JsonObject, expression: string) => {
    const { system, value } = identifier;
    if (
      typeof system === 'string' &&
      typeof value === 'string' &&
      municipalitySystems.includes(system)
    ) {
      municipal.push({ system, value, expression });
    }
  };
  const systems =
    municipalitySystems.length === 0
      ? 'This municipality has no identifier systems of its own registered'
      : `This municipality's own systems are ${municipalitySystems.join(', ')}`;
  for (const { resource: each, path } of resourcesIn(resource)) {
    const type = each['resourceType'];
    if (type === 'Patient') {
      const identifiers = listOf(each['identifier'])
        .map((identifier, index) => ({ identifier, at: `${path}.identifier[${String(index)}]` }))
        .filter(
          (c): c is { identifier: JsonObject; at: string } =>
            isObject(c.identifier) && c.identifier['use'] !== 'old',
        );
      const usable = identifiers.filter((c) => accepted(c.identifier['system']));
      if (usable.length === 0) {
        problems.push({
          message: `The Patient at ${path} has no identifier in a national identity number system (urn:oid:2.16.578.1.12.4.1.4.1/2/3) or one of the municipality's own. ${systems}.`,
          expression: `${path}.identifier`,
        });
      }
      for (const c of usable) note(c.identifier, c.at);
      continue;
    }
    for (const element of typeof type === 'string'
      ? (patientReferenceElements.get(type) ?? [])
      : []) {
      const reference = each[element];
      if (!isObject(reference)) continue;
      const declared = reference['type'];
      if (typeof declared === 'string' && declared !== 'Patient') continue;
      // QuestionnaireResponse.source is a patient only when it says so.
      if (element === 'source' && declared !== 'Patient') continue;
      const identifier = reference['identifier'];
      if (!isObject(identifier)) continue;
      const at = `${path}.${element}.identifier`;
      if (!accepted(identifier['system'])) {
        problems.push({
          message: `${at}.system is neither a national identity number system (urn:oid:2.16.578.1.12.4.1.4.1/2/3) nor one of the municipality's own identifier systems. ${systems}.`,
          expression: `${at}.system`,
        });
        continue;
      }
      note(identifier, at);
    }
  }
  const [first, ...more] = problems;
  if (first) return err({ code: 'INGEST.UNKNOWN_IDENTIFIER_SYSTEM', ...first, more });
  return ok(municipal);
}
