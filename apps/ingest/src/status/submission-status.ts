import type { SubmissionStage } from '@knutepunkt/schemas';
import type { RegisteredSubmission, StageReport } from '../persistence/submission-store';

/** The stages of DESIGN.md "Submission lifecycle" (the schema's `unknown` is never written). */
type LifecycleStage = Exclude<SubmissionStage, 'unknown'>;

export type SubmissionStatus = {
  readonly submissionId: string;
  readonly resourceType: string;
  readonly orgnr: string;
} & { readonly [S in LifecycleStage]: string | null } & {
  readonly reason: string | null;
  readonly operationOutcomeCode: string | null;
};

/**
 * The `$status` body: the time each stage was first reached (null where not yet), and the
 * reason of a `withheld` or `failed`. A superset of JFT's status body.
 */
export function submissionStatus(
  submission: RegisteredSubmission,
  stages: readonly StageReport[],
): SubmissionStatus {
  const firstAt = new Map<string, StageReport>();
  for (const report of stages) {
    const known = firstAt.get(report.stage);
    if (!known || report.at < known.at) firstAt.set(report.stage, report);
  }
  const at = (stage: string) => firstAt.get(stage)?.at.toISOString() ?? null;
  const explained = firstAt.get('failed') ?? firstAt.get('withheld');
  return {
    submissionId: submission.submissionId,
    resourceType: submission.resourceType,
    orgnr: submission.orgnr,
    registered: submission.registeredAt.toISOString(),
    normalized: at('normalized'),
    consented: at('consented'),
    withheld: at('withheld'),
    delivered: at('delivered'),
    read: at('read'),
    journaled: at('journaled'),
    failed: at('failed'),
    reason: explained?.reason ?? null,
    operationOutcomeCode: explained?.operationOutcomeCode ?? null,
  };
}
