import { Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { actorOf, AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { informationalOutcome } from '@knutepunkt/fhir';
import { ingestErrorAnswer } from '../domain/ingest-error.http';
import type { SubmissionStore } from '../persistence/submission-store';
import { submissionStatus } from '../status/submission-status';
import { REFUSAL_AUDIT, SUBMISSION_STORE } from '../tokens';
import type { RefusedSubmission } from './refusal-audit';
import { SubmitSubmissionHandler } from './submit-submission.handler';

const statusPath = (orgnr: string, type: string, submissionId: string) =>
  `/fhir/${orgnr}/${type}/${submissionId}/$status`;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** JFT WriteAPI's resource types. */
const jftWriteTypes = new Set(['Bundle', 'Composition', 'MedicationDispense']);

/**
 * The vendor API (DESIGN.md "Ingest — vendor API") and its VKP and JFT aliases: translate
 * HTTP, delegate to the one handler, translate back.
 */
@Controller()
@UseGuards(AuthGuard)
export class SubmitSubmissionHttpController {
  constructor(
    @Inject(SubmitSubmissionHandler) private readonly handler: SubmitSubmissionHandler,
    @Inject(SUBMISSION_STORE) private readonly store: SubmissionStore,
    @Inject(REFUSAL_AUDIT)
    private readonly auditRefusal: (refused: RefusedSubmission) => Promise<void>,
  ) {}

  @Post('fhir/:orgnr/:type')
  @RequireScopes(Scopes.IngestWrite)
  async submit(
    @Param('orgnr') orgnr: string,
    @Param('type') type: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.submitFor(orgnr, type, request, reply);
  }

  /** VKP R4's path (DESIGN.md "Drop-in compatibility"): a vendor switches by its base URL. */
  @Post('epj/r4/:orgnr/bundle')
  @RequireScopes(Scopes.IngestWrite)
  async submitVkpBundle(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.submitFor(orgnr, 'Bundle', request, reply);
  }

  /** JFT's WriteAPI: the municipality is the token's `orgnr_parent`. */
  @Post('v1/:type')
  @RequireScopes(Scopes.IngestWrite)
  async submitJft(
    @Param('type') type: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { orgnrParent } = principalOf(request);
    if (!jftWriteTypes.has(type)) {
      sendAnswer(
        reply,
        ingestErrorAnswer({
          code: 'INGEST.UNKNOWN_TYPE',
          message: `JFT's WriteAPI takes ${[...jftWriteTypes].join(', ')}; use /fhir/{orgnr}/${type} for other types.`,
        }),
      );
      return;
    }
    if (orgnrParent === undefined) {
      sendAnswer(
        reply,
        ingestErrorAnswer({
          code: 'INGEST.FORBIDDEN',
          message: 'The token names no municipality (orgnr_parent); use /fhir/{orgnr}/{type}.',
        }),
      );
      return;
    }
    await this.submitFor(orgnrParent, type, request, reply);
  }

  private async submitFor(
    orgnr: string,
    type: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const principal = principalOf(request);
    const result = await this.handler.handle({
      orgnr,
      pathType: type,
      body: typeof request.body === 'string' ? request.body : '',
      contentType: header(request, 'content-type') ?? '',
      clientId: principal.clientId,
      dpopBound: principal.scheme === 'DPoP',
      sourceSystem: header(request, 'nhn-source-system'),
      idempotencyKey: header(request, 'idempotency-key'),
      requestId: request.id,
    });
    if (!result.ok) {
      await this.auditRefusal({
        orgnr,
        actor: actorOf(principal, 'vendor', header(request, 'nhn-source-system') ?? null),
        requestId: request.id,
        error: result.error,
      });
      sendAnswer(reply, ingestErrorAnswer(result.error));
      return;
    }
    const { kind, submission } = result.value;
    const location = statusPath(submission.orgnr, submission.resourceType, submission.submissionId);
    void reply
      .status(kind === 'created' ? 202 : 200)
      .header('location', location)
      .type('application/fhir+json')
      .send(
        informationalOutcome(
          kind === 'created'
            ? `Accepted as submission ${submission.submissionId}; follow its progress at ${location}.`
            : `Already received as submission ${submission.submissionId}; not published again.`,
        ),
      );
  }

  @Get('fhir/:orgnr/:type/:submissionId/$status')
  @RequireScopes(Scopes.IngestWrite)
  async status(
    @Param('orgnr') orgnr: string,
    @Param('submissionId') submissionId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = principalOf(request);
    const found = /^[0-9a-f-]{36}$/i.test(submissionId)
      ? await this.store.find(submissionId)
      : null;
    const visible =
      found !== null &&
      found.submission.orgnr === orgnr &&
      (found.submission.clientId === principal.clientId || principal.scopes.has(Scopes.Admin));
    if (!visible) {
      // The same answer whether it does not exist or belongs to another client: no probing.
      sendAnswer(
        reply,
        ingestErrorAnswer({
          code: 'INGEST.SUBMISSION_NOT_FOUND',
          message: 'No such submission for this client.',
        }),
      );
      return;
    }
    void reply
      .status(200)
      .type('application/json')
      .send(submissionStatus(found.submission, found.stages));
  }
}
