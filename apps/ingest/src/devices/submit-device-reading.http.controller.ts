import { Controller, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import type { IngestError } from '../domain/ingest-error';
import { ApiAnswers, AuthGuard, principalOf, RequireScopes } from '@knutepunkt/service';
import { header, SubmissionAnswers } from '../submit/submission-answers';
import { SubmitSubmissionHandler } from '../submit/submit-submission.handler';
import { deviceEnvelope, documentDevice, documentPatient } from '@knutepunkt/device-templates';
import { unscopedDeviceIdentifierSystem } from '@knutepunkt/fhir';
import { checkVendorJson } from './vendor-json';
import { DeviceTemplateCatalog } from './device-template-catalog';

const vendorJsonRefusals = {
  malformed: 'INGEST.MALFORMED_JSON',
  'not-object': 'INGEST.MALFORMED_JSON',
  'too-deep': 'INGEST.TOO_DEEP',
  'duplicate-key': 'INGEST.DUPLICATE_KEY',
} as const;

/**
 * `POST /devices/{orgnr}/{template}`: vendor JSON that a mapping template turns into
 * WelfareEvents (docs/vendor-templates.md). The body is checked to be a JSON object and wrapped
 * in its envelope (@knutepunkt/device-templates) and keyed by the patient its template finds in
 * it, else by its device; everything else — token, scope, register, DPoP, rate, idempotency,
 * the durable publish before 202 — is the FHIR vendor API's own handler.
 */
@ApiTags('vendor API')
@Controller()
@UseGuards(AuthGuard)
export class SubmitDeviceReadingHttpController {
  constructor(
    @Inject(SubmitSubmissionHandler) private readonly handler: SubmitSubmissionHandler,
    @Inject(DeviceTemplateCatalog) private readonly templates: DeviceTemplateCatalog,
    @Inject(SubmissionAnswers) private readonly answers: SubmissionAnswers,
  ) {}

  @Post('devices/:orgnr/:template')
  @RequireScopes(Scopes.IngestWrite)
  @ApiOperation({
    summary:
      "Submit a device's own JSON, mapped by a vendor template (docs/vendor-templates.md) instead of FHIR",
  })
  @ApiParam({ name: 'orgnr', description: "The municipality's organisation number (9 digits)." })
  @ApiParam({
    name: 'template',
    description:
      'A template name (its latest version), or `<template>.v<version>` to pin one: doseguard-event-log, nattro-bed-sensor, tensio-bp-cuff, …',
  })
  @ApiBody({
    description: "The device's JSON document, exactly as the vendor system produces it.",
    schema: { type: 'object' },
  })
  @ApiHeader({
    name: 'nhn-source-system',
    required: false,
    description: "The vendor's system name.",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry a repeat (200) instead of a new submission; without it, the same bytes for the same template version are a repeat.',
  })
  @ApiAnswers({
    202: "Accepted: durable in Kafka (acks=all). `Location` is the submission's `$status`; mapping errors show there as `failed` with the JSONPath that failed.",
    200: 'A repeat: the first submission’s `Location`, not published again.',
    400: 'The body is not JSON, not a JSON object, nested too deep, or has a name twice in one object.',
    401: 'Missing or invalid token, or a bearer token from a client registered to require DPoP.',
    403: 'Scope `knutepunkt:ingest.write` missing, or the register does not let this client write for this municipality.',
    404: 'No such template, or a municipality that is not connected.',
    413: 'Body over 1 MiB.',
    415: 'Content-Type other than application/json (or application/fhir+json).',
    429: "Over the client's registered rate; `Retry-After` says when.",
    503: 'Kafka unavailable; nothing was kept. `Retry-After` says when.',
  })
  async submit(
    @Param('orgnr') orgnr: string,
    @Param('template') template: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = principalOf(request);
    const refuse = (error: IngestError) => {
      this.answers.refuse(request, reply, orgnr, error);
    };
    const resolved = this.templates.resolve(template);
    if (resolved === undefined) {
      refuse({
        code: 'INGEST.UNKNOWN_TYPE',
        message: `No device template "${template}"; known: ${this.templates.names().join(', ')}.`,
      });
      return;
    }
    const body = typeof request.body === 'string' ? request.body : '';
    const checked = checkVendorJson(body);
    if (!checked.ok) {
      refuse({
        code: vendorJsonRefusals[checked.reason],
        message: checked.message,
      });
      return;
    }
    const result = await this.handler.handle({
      orgnr,
      pathType: 'Bundle',
      body: deviceEnvelope(body, resolved.ref),
      patientHint: documentPatient(resolved, checked.document)?.value,
      deviceHint: documentDevice(resolved, checked.document, unscopedDeviceIdentifierSystem)?.value,
      // The record holds the envelope, which is FHIR; the vendor's media type is inside it.
      contentType: 'application/fhir+json',
      clientId: principal.clientId,
      dpopBound: principal.scheme === 'DPoP',
      sourceSystem: header(request, 'nhn-source-system'),
      idempotencyKey: header(request, 'idempotency-key'),
      requestId: request.id,
    });
    if (result.ok) this.answers.accept(request, reply, result.value, `template ${resolved.ref}`);
    else refuse(result.error);
  }
}
