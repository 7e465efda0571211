import type { AuditActor } from '@knutepunkt/schemas';
import { auditMessage, auditRecord, type ServiceRuntime } from '@knutepunkt/service';
import type { IngestError, IngestErrorCode } from '../domain/ingest-error';

/** Refusals that are about who asked, not what was sent. */
const denials = new Set<IngestErrorCode>([
  'INGEST.FORBIDDEN',
  'INGEST.DPOP_REQUIRED',
  'INGEST.RATE_LIMITED',
  'INGEST.UNKNOWN_ORGNR',
]);

export interface RefusedSubmission {
  readonly orgnr: string;
  readonly actor: AuditActor;
  readonly requestId: string;
  readonly error: IngestError;
}

/**
 * An AuditRecord for every refused submission (accepted ones are audited from the `accepted`
 * topic by the audit service). Best effort: a refusal is answered even when Kafka is down
 * (that is one of the refusals), so a failed audit publish is logged, not raised.
 */
export function refusalAudit(runtime: ServiceRuntime) {
  return async (refused: RefusedSubmission): Promise<void> => {
    const record = auditRecord(runtime.app, {
      actor: refused.actor,
      action: 'submission.create',
      entity: { type: 'Submission', id: refused.requestId },
      outcome: denials.has(refused.error.code) ? 'denied' : 'failed',
      orgnr: /^\d{9}$/.test(refused.orgnr) ? refused.orgnr : null,
      patientKey: null,
      purpose: 'journaling',
      requestId: refused.requestId,
      details: { errorCode: refused.error.code },
    });
    try {
      await runtime.producer.send([auditMessage(runtime.serde, record)]);
    } catch (error) {
      runtime.logger.warn(
        {
          requestId: refused.requestId,
          error: error instanceof Error ? error.message : String(error),
        },
        'audit record of a refused submission not published',
      );
    }
  };
}
