import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { FhirError } from '../result';
import { ensureFhirDefinitions } from './definitions';

export type StructureErrorCode = 'FHIR.STRUCTURE';

/**
 * FHIR R4 structure and cardinality (medplum's validator over the base StructureDefinitions):
 * property names, JSON types, required elements, maximum cardinality, primitive formats and
 * the base invariants. An empty list means the resource is well-formed FHIR R4; VKP's own
 * rules (profiles, codes) are checked after this.
 */
export function validateStructure(
  resource: Readonly<Record<string, unknown>>,
): FhirError<StructureErrorCode>[] {
  ensureFhirDefinitions();
  try {
    validateResource(resource as unknown as Resource);
    return [];
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
