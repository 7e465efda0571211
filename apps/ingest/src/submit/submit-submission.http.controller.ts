import {
  applyDecorators,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { submissionResourceTypes } from '@knutepunkt/fhir';
import { ingestErrorAnswer } from '../domain/ingest-error.http';
import type { SubmissionStore } from '../persistence/submission-store';
import { submissionStatus } from '../status/submission-status';
import { SUBMISSION_STORE } from '../tokens';
import { header, SubmissionAnswers } from './submission-answers';
import { SubmitSubmissionHandler } from './submit-submission.handler';

const submitAnswers = {
  202: "Accepted: durable in Kafka (acks=all). `Location` is the submission's `$status`; the body an informational OperationOutcome, with a `warning` issue for each structural slip that was repaired (a single value for a list, an empty string).",
  200: "A repeat (same client and Idempotency-Key, else the same Bundle.identifier / resource identifier / id): the first submission's `Location`, not published again.",
  400: 'Malformed JSON; a name twice in one object (`INGEST.DUPLICATE_KEY`); not FHIR R4 (structure and cardinality, one issue per problem); nested too deep; a body of another type than the path; or a structural slip from a client registered as strict.',
  401: 'Missing or invalid token, or a bearer token from a client registered to require DPoP (`WWW-Authenticate` says why).',
  403: 'Scope `knutepunkt:ingest.write` missing, or the authorization register does not let this client write for this municipality.',
  404: 'Unknown resource type, or a municipality that is not connected (organisation number with a wrong check digit included).',
  413: 'Body over 1 MiB.',
  415: 'Content-Type other than application/fhir+json or application/json.',
  422: "Valid FHIR that breaks the rules, one issue (with its FHIRPath) per problem: a Bundle type not taken; a VKP profile's required element missing, or a prohibited or fixed value broken (`INGEST.PROFILE_VIOLATION`); a code its VKP code system or required value set does not have (`INGEST.UNKNOWN_CODE`); a reference inside a Bundle that points at no entry (`INGEST.UNRESOLVED_REFERENCE`); a MessageHeader whose focus does not fit its event (`INGEST.MESSAGE_EVENT_MISMATCH`); a patient identifier in neither a national identity number system nor one of the municipality's own (`INGEST.UNKNOWN_IDENTIFIER_SYSTEM`); a national identity number with a bad checksum, a synthetic number in production or a real one in test.",
  429: "Over the client's registered rate; `Retry-After` says when to try again.",
  503: 'Kafka unavailable; nothing was kept. `Retry-After` says when to try again.',
} as const;

const fhirBody = ApiBody({
  description: 'The FHIR R4 resource as JSON, exactly as the vendor system sends it.',
  schema: { type: 'object', properties: { resourceType: { type: 'string' } } },
});
const vendorHeaders = [
  ApiHeader({
    name: 'nhn-source-system',
    required: false,
    description: "The vendor's system name.",
  }),
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retry of the same submission a repeat (200) instead of a new one.',
  }),
];

function fhirBodyAndHeaders(): MethodDecorator {
  return applyDecorators(fhirBody, ...vendorHeaders);
}

/** JFT WriteAPI's resource types. */
const jftWriteTypes = new Set(['Bundle', 'Composition', 'MedicationDispense']);

/**
 * The vendor API (DESIGN.md "Ingest — vendor API") and its VKP and JFT aliases: translate
 * HTTP, delegate to the one handler, translate back.
 */
@ApiTags('vendor API')
@Controller()
@UseGuards(AuthGuard)
export class SubmitSubmissionHttpController {
  constructor(
    @Inject(SubmitSubmissionHandler) private readonly handler: SubmitSubmissionHandler,
    @Inject(SUBMISSION_STORE) private readonly store: SubmissionStore,
    @Inject(SubmissionAnswers) private readonly answers: SubmissionAnswers,
  ) {}

  @Post('fhir/:orgnr/:type')
  @RequireScopes(Scopes.IngestWrite)
  @ApiOperation({ summary: 'Submit a welfare-technology event (VKP interface I1)' })
  @ApiParam({ name: 'orgnr', description: "The municipality's organisation number (9 digits)." })
  @ApiParam({ name: 'type', enum: [...submissionResourceTypes] })
  @fhirBodyAndHeaders()
  @ApiAnswers(submitAnswers)
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
  @ApiOperation({ summary: 'VKP R4 alias of POST /fhir/{orgnr}/Bundle' })
  @ApiParam({ name: 'orgnr', description: "The municipality's organisation number (9 digits)." })
  @fhirBodyAndHeaders()
  @ApiAnswers(submitAnswers)
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
  @ApiOperation({
    summary: "JFT WriteAPI alias: the municipality is the token's orgnr_parent claim",
  })
  @ApiParam({ name: 'type', enum: ['Bundle', 'Composition', 'MedicationDispense'] })
  @fhirBodyAndHeaders()
  @ApiAnswers({
    ...submitAnswers,
    401: `${submitAnswers[401]} Also: the token carries no orgnr_parent (JFT requires the claim).`,
  })
  async submitJft(
    @Param('type') type: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { orgnrParent, scheme } = principalOf(request);
    if (orgnrParent === undefined) {
      // As JFT's read alias on the journal-writer answers: the token is not one for this API.
      this.answers.refuse(
        request,
        reply,
        '',
        {
          code: 'INGEST.NO_ORGNR_PARENT',
          message:
            "The token names no municipality (HelseID claim orgnr_parent), which JFT's WriteAPI reads it from; get a token for the municipality, or use /fhir/{orgnr}/{type}.",
        },
        {
          'www-authenticate': `${scheme} error="invalid_token", error_description="the token has no orgnr_parent"`,
        },
      );
      return;
    }
    if (!jftWriteTypes.has(type)) {
      this.answers.refuse(request, reply, orgnrParent, {
        code: 'INGEST.UNKNOWN_TYPE',
        message: `JFT's WriteAPI takes ${[...jftWriteTypes].join(', ')}; use /fhir/{orgnr}/${type} for other types.`,
      });
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
    if (result.ok) this.answers.accept(request, reply, result.value);
    else this.answers.refuse(request, reply, orgnr, result.error);
  }

  @Get('fhir/:orgnr/:type/:submissionId/$status')
  @RequireScopes(Scopes.IngestWrite)
  @ApiOperation({
    summary:
      "A submission's lifecycle: the time each stage was reached, null where not (a superset of JFT's status body)",
  })
  @ApiParam({ name: 'orgnr', description: "The municipality's organisation number (9 digits)." })
  @ApiParam({ name: 'type', description: 'The resource type the submission was sent as.' })
  @ApiParam({ name: 'submissionId', description: 'The id in the Location of the 202.' })
  @ApiAnswers({
    200: '`{ submissionId, orgnr, resourceType, registered, normalized, consented, withheld, delivered, read, journaled, failed, reason, … }`',
    401: 'Missing or invalid token.',
    403: 'Scope `knutepunkt:ingest.write` missing.',
    404: "No such submission for this client (the same answer whether it does not exist or is another client's).",
  })
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
