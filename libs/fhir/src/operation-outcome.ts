/**
 * FHIR R4 OperationOutcome bodies (DESIGN.md "HTTP contracts"): every issue carries a FHIR
 * issue type, a human-readable `diagnostics`, the FHIRPath `expression` of the offending
 * element where there is one, and — for errors — the VKP operation-outcome code as
 * `details.coding` in the vkp-operation-outcome-v090 system, with the code system's
 * Norwegian display.
 *
 * Diagnostics are written in English by the callers (the integrators who read them are
 * developers, several of them outside Norway); the VKP display gives the Norwegian term.
 * Which error code maps to which HTTP status and issue type is decided in one place in
 * ingest, not here.
 */
import type { CodeableConcept, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { vkpOperationOutcomes, type VkpOperationOutcomeCode } from './code-systems/vkp-codes';
import type { FhirError } from './result';

export type IssueSeverity = OperationOutcomeIssue['severity'];
/** FHIR R4 IssueType (http://hl7.org/fhir/issue-type). */
export type IssueType = OperationOutcomeIssue['code'];

export interface OutcomeIssue {
  readonly severity: IssueSeverity;
  readonly code: IssueType;
  readonly diagnostics: string;
  /** FHIRPath of the offending element(s). */
  readonly expression?: string | readonly string[];
  readonly vkpCode?: VkpOperationOutcomeCode;
  /** Our stable error code (e.g. `INGEST.MALFORMED_JSON`), as `details.text`, for programs. */
  readonly errorCode?: string;
}

/** An OperationOutcome needs at least one issue (`issue` is 1..*). */
export type OutcomeIssues = readonly [OutcomeIssue, ...OutcomeIssue[]];

function details(vkpCode: VkpOperationOutcomeCode): CodeableConcept {
  const coding = vkpOperationOutcomes.coding(vkpCode);
  return {
    coding: [
      coding.display === undefined
        ? { system: coding.system, code: coding.code }
        : { system: coding.system, code: coding.code, display: coding.display },
    ],
  };
}

function issueOf(input: OutcomeIssue): OperationOutcomeIssue {
  const issue: OperationOutcomeIssue = {
    severity: input.severity,
    code: input.code,
    diagnostics: input.diagnostics,
  };
  if (input.vkpCode !== undefined) {
    issue.details = details(input.vkpCode);
  }
  if (input.errorCode !== undefined) {
    issue.details = { ...issue.details, text: input.errorCode };
  }
  if (input.expression !== undefined) {
    issue.expression =
      typeof input.expression === 'string' ? [input.expression] : [...input.expression];
  }
  return issue;
}

/** An OperationOutcome with the given issues, in order. */
export function operationOutcome(issues: OutcomeIssues): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.map(issueOf) };
}

/** The one-issue informational outcome of a success (e.g. the body of a 202). */
export function informationalOutcome(diagnostics: string): OperationOutcome {
  return operationOutcome([{ severity: 'information', code: 'informational', diagnostics }]);
}

/**
 * An issue from one of this library's errors: its message becomes the diagnostics and its
 * expression the issue's expression. The caller decides the issue type and VKP code.
 */
export function issueFromError(
  error: FhirError,
  classification: {
    readonly code: IssueType;
    readonly vkpCode?: VkpOperationOutcomeCode;
    readonly severity?: IssueSeverity;
  },
): OutcomeIssue {
  const issue: OutcomeIssue = {
    severity: classification.severity ?? 'error',
    code: classification.code,
    diagnostics: error.message,
  };
  return {
    ...issue,
    ...(error.expression === undefined ? {} : { expression: error.expression }),
    ...(classification.vkpCode === undefined ? {} : { vkpCode: classification.vkpCode }),
  };
}

/** How one of an API's error codes answers over HTTP. */
export interface ErrorHttpMapping {
  readonly status: number;
  readonly fhirCode: IssueType;
  readonly vkpCode: VkpOperationOutcomeCode;
  readonly retryAfterSeconds?: number;
  /** Headers every answer of this code carries (e.g. a `WWW-Authenticate` challenge). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A refusal with a stable code, a message for the integrator, and where in the body it is. */
export interface CodedError<Code extends string = string> {
  readonly code: Code;
  /** For the integrator's developer: what is wrong and how to fix it. Never patient data. */
  readonly message: string;
  /** FHIRPath of the offending element, where there is one. */
  readonly expression?: string;
  /** When to retry, where it depends on the case (a client's own rate); else the mapping's. */
  readonly retryAfterSeconds?: number;
  /** Further problems of the same kind, each its own issue (e.g. every structural error). */
  readonly more?: readonly { readonly message: string; readonly expression?: string }[];
}

/** A status, headers and OperationOutcome body, ready for any HTTP framework to send. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: OperationOutcome;
}

/**
 * The answer to a coded error, from the API's one table of codes: each API keeps such a
 * table next to its error codes, so a code's status and issue type are decided once.
 */
export function errorAnswer<Code extends string>(
  mapping: Readonly<Record<Code, ErrorHttpMapping>>,
  error: CodedError<Code>,
): HttpAnswer {
  const m = mapping[error.code];
  const retryAfter = error.retryAfterSeconds ?? m.retryAfterSeconds;
  return {
    status: m.status,
    headers: {
      ...m.headers,
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    },
    body: operationOutcome([
      issueOf(error),
      ...(error.more ?? []).map((problem) => issueOf({ code: error.code, ...problem })),
    ]),
  };

  function issueOf(problem: CodedError<Code>): OutcomeIssue {
    return {
      severity: 'error',
      code: m.fhirCode,
      vkpCode: m.vkpCode,
      errorCode: problem.code,
      diagnostics: problem.message,
      ...(problem.expression === undefined ? {} : { expression: problem.expression }),
    };
  }
}
