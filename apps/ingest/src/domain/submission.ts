import { createHash } from 'node:crypto';
import {
  acceptedBundleTypes,
  checkVkpRules,
  isSubmissionResourceType,
  repairStructure,
  validateStructure,
  type Repair,
  submissionResourceTypes,
  type SubmissionResourceType,
  type VkpRuleCode,
  type VkpRuleProblem,
} from '@knutepunkt/fhir';
import { depthOf, duplicateKey, fhirPathOf } from './json-body';
import { err, ok, type Result } from './result';
import type { IngestError, IngestErrorCode } from './ingest-error';

export type SubmissionType = SubmissionResourceType;

/** Deeper JSON than this is refused before anything walks it (reference goal 10: > 32 → 400). */
export const maxJsonDepth = 32;

export type FhirJson = Readonly<Record<string, unknown>>;

export interface ParsedSubmission {
  readonly type: SubmissionType;
  readonly resource: FhirJson;
  /** `sha256:<hex>` of the body bytes as received. */
  readonly contentHash: string;
}

/**
 * Structural checks every submission passes before anything else looks at it: JSON, an
 * object, not too deep, a FHIR resource of the type in the URL, a Bundle of a kind we take.
 * Profile and code validation come after this, on a value known to be well-formed.
 */
export function parseSubmission(
  pathType: string,
  body: string,
): Result<ParsedSubmission, IngestError> {
  if (!isSubmissionResourceType(pathType)) {
    return err({
      code: 'INGEST.UNKNOWN_TYPE',
      message: `Unknown resource type "${pathType}"; accepted: ${submissionResourceTypes.join(', ')}.`,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return err({
      code: 'INGEST.MALFORMED_JSON',
      message: `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return err({
      code: 'INGEST.NOT_FHIR',
      message: 'The body is not a FHIR resource: expected a JSON object.',
    });
  }
  if (depthOf(parsed, maxJsonDepth) > maxJsonDepth) {
    return err({
      code: 'INGEST.TOO_DEEP',
      message: `The JSON is nested deeper than ${maxJsonDepth} levels.`,
    });
  }
  const resource = parsed as FhirJson;
  const resourceType = resource['resourceType'];
  const duplicate = duplicateKey(body);
  if (duplicate !== null) {
    return err({
      code: 'INGEST.DUPLICATE_KEY',
      message: `"${duplicate.key}" appears twice in one object; send each property once.`,
      expression: fhirPathOf(typeof resourceType === 'string' ? resourceType : '', duplicate.path),
    });
  }
  if (typeof resourceType !== 'string') {
    return err({
      code: 'INGEST.NOT_FHIR',
      message: 'The body is not a FHIR R4 resource: "resourceType" is missing.',
      expression: 'resourceType',
    });
  }
  if (resourceType !== pathType) {
    return err({
      code: 'INGEST.RESOURCE_TYPE_MISMATCH',
      message: `The body is a ${resourceType}, but the URL says ${pathType}.`,
      expression: 'resourceType',
    });
  }
  if (
    pathType === 'Bundle' &&
    !(acceptedBundleTypes as readonly unknown[]).includes(resource['type'])
  ) {
    return err({
      code: 'INGEST.BUNDLE_TYPE',
      message: `Bundle.type must be one of ${acceptedBundleTypes.join(', ')}.`,
      expression: 'Bundle.type',
    });
  }
  return ok({ type: pathType, resource, contentHash: contentHash(body) });
}

/**
 * FHIR R4 structure and cardinality: slips vendors make (a single value for a list, empty
 * strings) are repaired in place and returned as warnings — or refused when the client is
 * registered as strict — then every remaining structural error is refused at once, each as
 * its own issue.
 */
export function checkStructure(
  resource: FhirJson,
  strict: boolean,
): Result<readonly Repair[], IngestError> {
  const repairs = repairStructure(resource);
  const [firstRepair, ...otherRepairs] = repairs;
  if (strict && firstRepair) {
    return err({
      code: 'INGEST.STRUCTURAL_SLIP',
      message: `${firstRepair.message} This client is registered as strict, so nothing is repaired.`,
      expression: firstRepair.expression,
      more: otherRepairs,
    });
  }
  const [first, ...others] = validateStructure(resource);
  if (first) {
    return err({
      code: 'INGEST.INVALID_STRUCTURE',
      message: first.message,
      ...(first.expression === undefined ? {} : { expression: first.expression }),
      more: others,
    });
  }
  return ok(repairs);
}

/** Which ingest code answers each kind of VKP rule. */
const vkpRuleCodes: Readonly<Record<VkpRuleCode, IngestErrorCode>> = {
  'VKP.REQUIRED': 'INGEST.PROFILE_VIOLATION',
  'VKP.PROHIBITED': 'INGEST.PROFILE_VIOLATION',
  'VKP.CARDINALITY': 'INGEST.PROFILE_VIOLATION',
  'VKP.FIXED_VALUE': 'INGEST.PROFILE_VIOLATION',
  'VKP.SLICE_NOT_ALLOWED': 'INGEST.PROFILE_VIOLATION',
  'VKP.NOT_IN_VALUE_SET': 'INGEST.UNKNOWN_CODE',
  'VKP.UNKNOWN_CODE': 'INGEST.UNKNOWN_CODE',
  'VKP.UNRESOLVED_REFERENCE': 'INGEST.UNRESOLVED_REFERENCE',
  'VKP.MESSAGE_FOCUS': 'INGEST.MESSAGE_EVENT_MISMATCH',
};

/**
 * The VKP rules (libs/fhir checkVkpRules: profiles, codes, references inside a Bundle, message
 * event and focus), on a resource known to be well-formed FHIR R4. Every problem is refused at
 * once, each as its own issue with its FHIRPath; problems are grouped by ingest code, the first
 * kind found is the refusal's code and the others follow in `also`.
 * `municipalitySystems`: the municipality's own patient identifier systems, taken where a
 * profile closes an identifier to the national ones.
 */
export function checkVkp(
  resource: FhirJson,
  municipalitySystems: readonly string[],
): Result<void, IngestError> {
  const problems = checkVkpRules(resource, { additionalIdentifierSystems: municipalitySystems });
  const byCode = new Map<IngestErrorCode, VkpRuleProblem[]>();
  for (const problem of problems) {
    const code = vkpRuleCodes[problem.code];
    byCode.set(code, [...(byCode.get(code) ?? []), problem]);
  }
  const [first, ...others] = [...byCode].map(([code, [head, ...rest]]) => ({
    code,
    ...issueOf(head),
    more: rest.map(issueOf),
  }));
  if (!first) return ok(undefined);
  return err(others.length === 0 ? first : { ...first, also: others });
}

/** The problem's message with its VKP rule code, for the integrator. */
function issueOf(problem: VkpRuleProblem | undefined): { message: string; expression?: string } {
  if (!problem) return { message: 'VKP rule broken.' };
  return { message: `${problem.message} (${problem.code})`, expression: problem.expression };
}

export function contentHash(body: string): string {
  return `sha256:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}
