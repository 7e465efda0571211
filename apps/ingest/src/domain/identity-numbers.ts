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
