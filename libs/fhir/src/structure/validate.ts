import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { FhirError } from '../result';
import { ensureFhirDefinitions } from './definitions';
import { checkRequiredCodes } from './required-codes';

export type StructureErrorCode = 'FHIR.STRUCTURE';

/**
 * FHIR R4 structure and cardinality (medplum's validator over the base StructureDefinitions):
 * property names, JSON types, required elements, maximum cardinality, primitive formats and
 * the base invariants; then the codes of elements FHIR binds as required (required-codes.ts). An empty list means the resource is well-formed FHIR R4; VKP's own
 * rules (profiles, codes) are checked after this.
 */
export function validateStructure(
  resource: Readonly<Record<string, unknown>>,
): FhirError<StructureErrorCode>[] {
  ensureFhirDefinitions();
  const type = resource['resourceType'];
  const reserved = reservedKeys(resource, typeof type === 'string' ? type : 'Resource');
  if (reserved.length > 0) return reserved;
  try {
    validateResource(resource as unknown as Resource);
    return checkRequiredCodes(resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return error.outcome.issue
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => {
        const expression = issue.expression?.[0];
        const message = issue.details?.text ?? issue.diagnostics ?? 'Invalid FHIR R4 structure';
        return {
          code: 'FHIR.STRUCTURE' as const,
          message: expression === undefined ? message : `${expression}: ${message}`,
          ...(expression === undefined ? {} : { expression }),
        };
      });
  }
}

/**
 * Names no FHIR element has that object lookups resolve anyway (`__proto__`, `constructor`,
 * `toString`… of Object.prototype, and `prototype`).
 */
function isObjectMemberName(key: string): boolean {
  return key === 'prototype' || key in Object.prototype;
}

/**
 * Properties named like Object's members, anywhere in the resource: medplum's validator takes
 * them for known elements (so they would pass), and code downstream could be fooled the same way.
 */
function reservedKeys(value: unknown, path: string): FhirError<StructureErrorCode>[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => reservedKeys(item, `${path}[${String(index)}]`));
  }
  return Object.entries(value).flatMap(([key, child]) =>
    isObjectMemberName(key)
      ? [
          {
            code: 'FHIR.STRUCTURE' as const,
            message: `${path}.${key}: not an element of FHIR R4`,
            expression: `${path}.${key}`,
          },
        ]
      : reservedKeys(child, `${path}.${key}`),
  );
}
