import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operationOutcome } from '@knutepunkt/fhir';
import { actorOf, principalOf, sendAnswer } from '@knutepunkt/service';
import type { IngestError } from '../domain/ingest-error';
import { ingestErrorAnswer } from '../domain/ingest-error.http';
import { IngestMetrics } from '../ingest-metrics';
import { REFUSAL_AUDIT } from '../tokens';
import type { RefusedSubmission } from './refusal-audit';
import type { Submitted } from './submit-submission.handler';

/** A request header's value, when it has one. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export const statusPath = (orgnr: string, type: string, submissionId: string) =>
  `/fhir/${orgnr}/${type}/${submissionId}/$status`;

/**
 * How every submission endpoint (FHIR, its VKP and JFT aliases, vendor JSON) answers: a refusal
 * is counted, audited and answered as an OperationOutcome; an acceptance is counted and answered
 * 202 (200 for a repeat) with the `$status` Location and the repaired slips as warnings.
 */
@Injectable()
export class SubmissionAnswers {
  constructor(
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(REFUSAL_AUDIT)
    private readonly auditRefusal: (refused: RefusedSubmission) => Promise<void>,
  ) {}

  refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    orgnr: string,
    error: IngestError,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    const principal = principalOf(request);
    this.metrics.refused(principal.clientId, orgnr, error.code);
    // Not awaited: a refusal is answered at once, also the 503 while Kafka is away (the audit
    // publish then fails and is logged by refusalAudit).
    void this.auditRefusal({
      orgnr,
      actor: actorOf(principal, 'vendor', header(request, 'nhn-source-system') ?? null),
      requestId: request.id,
      error,
    });
    const answer = ingestErrorAnswer(error);
    sendAnswer(reply, { ...answer, headers: { ...answer.headers, ...headers } });
  }

  /** `via` names what turned the body into a submission, e.g. a vendor template. */
  accept(
    request: FastifyRequest,
    reply: FastifyReply,
    { kind, submission, warnings }: Submitted,
    via?: string,
  ): void {
    this.metrics.accepted(principalOf(request).clientId, submission.orgnr);
    const location = statusPath(submission.orgnr, submission.resourceType, submission.submissionId);
    void reply
      .status(kind === 'created' ? 202 : 200)
      .header('location', location)
      .type('application/fhir+json')
      .send(
        operationOutcome([
          {
            severity: 'information',
            code: 'informational',
            diagnostics:
              kind === 'created'
                ? `Accepted as submission ${submission.submissionId}${via === undefined ? '' : ` for ${via}`}; follow its progress at ${location}.`
                : `Already received as submission ${submission.submissionId}; not published again.`,
          },
          // Repaired slips, as VKP reports them: the vendor should fix them at the source.
          ...warnings.map((w) => ({
            severity: 'warning' as const,
            code: 'structure' as const,
            diagnostics: w.message,
            errorCode: w.code,
            ...(w.expression === null ? {} : { expression: w.expression }),
          })),
        ]),
      );
  }
}
