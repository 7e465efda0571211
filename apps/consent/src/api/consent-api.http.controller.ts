import { Controller, Get, Inject, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { consentApiErrorAnswer } from '../domain/consent-api-error.http';
import type { ApiResult } from '../domain/consent-api-error';
import type { StoredRegistration } from '../persistence/consent-store';
import { ConsentApiHandler, type Caller } from './consent-api.handler';

function bodyOf(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

function callerOf(request: FastifyRequest): Caller {
  return { principal: principalOf(request), requestId: request.id };
}

/** A registration as the API shows it: no patient key, dates as given. */
function registrationBody(registration: StoredRegistration) {
  return {
    registrationId: registration.registrationId,
    identifiers: registration.identifiers,
    services: registration.services,
    validFrom: registration.validFrom,
    validTo: registration.validTo,
    devices: registration.devices,
    createdAt: registration.createdAt.toISOString(),
    updatedAt: registration.updatedAt.toISOString(),
  };
}

/**
 * The consent API (DESIGN.md "Consent API"): translate HTTP, delegate to the handler,
 * translate back. Identifiers travel only in bodies; errors are OperationOutcomes with a
 * `CONSENT.*` code.
 */
@Controller('consent')
@UseGuards(AuthGuard)
export class ConsentApiHttpController {
  constructor(@Inject(ConsentApiHandler) private readonly handler: ConsentApiHandler) {}

  @Put(':orgnr/registrations')
  @RequireScopes(Scopes.ConsentWrite)
  async putRegistration(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.putRegistration(callerOf(request), orgnr, bodyOf(request));
    if (!this.ok(result, reply)) return;
    const { kind, registration } = result.value;
    void reply
      .status(kind === 'created' ? 201 : 200)
      .type('application/json')
      .send({ outcome: kind, registration: registrationBody(registration) });
  }

  @Post(':orgnr/registrations/_search')
  @RequireScopes(Scopes.ConsentRead, Scopes.ConsentWrite)
  async searchRegistrations(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.searchRegistrations(
      callerOf(request),
      orgnr,
      bodyOf(request),
    );
    if (!this.ok(result, reply)) return;
    void reply
      .status(200)
      .type('application/json')
      .send({ total: result.value.length, registrations: result.value.map(registrationBody) });
  }

  @Post(':orgnr/Consent')
  @RequireScopes(Scopes.ConsentWrite)
  async recordConsent(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.recordConsent(callerOf(request), orgnr, bodyOf(request));
    if (!this.ok(result, reply)) return;
    const { created, consent } = result.value;
    void reply
      .status(created ? 201 : 200)
      .header('location', `/consent/${orgnr}/Consent/${consent.consentId}`)
      .type('application/fhir+json')
      .send(consent.resource);
  }

  @Post(':orgnr/Consent/_search')
  @RequireScopes(Scopes.ConsentRead, Scopes.ConsentWrite)
  async searchConsents(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.searchConsents(callerOf(request), orgnr, bodyOf(request));
    if (!this.ok(result, reply)) return;
    void reply
      .status(200)
      .type('application/fhir+json')
      .send({
        resourceType: 'Bundle',
        type: 'searchset',
        total: result.value.length,
        entry: result.value.map((consent) => ({
          fullUrl: `/consent/${orgnr}/Consent/${consent.consentId}`,
          resource: consent.resource,
          search: { mode: 'match' },
        })),
      });
  }

  @Put(':orgnr/policy')
  @RequireScopes(Scopes.ConsentWrite)
  async putPolicy(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.putPolicy(callerOf(request), orgnr, bodyOf(request));
    if (!this.ok(result, reply)) return;
    void reply
      .status(200)
      .type('application/json')
      .send({ ...result.value.effective, changed: result.value.changed });
  }

  @Get(':orgnr/policy')
  @RequireScopes(Scopes.ConsentRead, Scopes.ConsentWrite)
  getPolicy(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const result = this.handler.getPolicy(callerOf(request), orgnr);
    if (!this.ok(result, reply)) return;
    void reply.status(200).type('application/json').send(result.value);
  }

  private ok<T>(result: ApiResult<T>, reply: FastifyReply): result is { ok: true; value: T } {
    if (result.ok) return true;
    sendAnswer(reply, consentApiErrorAnswer(result.error));
    return false;
  }
}
