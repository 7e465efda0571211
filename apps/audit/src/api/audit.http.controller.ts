import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { auditErrorAnswer } from '../domain/audit-error.http';
import { AuditMetrics } from '../audit-metrics';
import { AUDIT_METRICS } from '../tokens';
import { AuditApiHandler, innsynParameters } from './audit-api.handler';

/**
 * The audit API (DESIGN.md "Audit API"), scope `knutepunkt:audit.read`: translate HTTP,
 * delegate, translate back. Patient identifiers travel only in bodies, never in URLs.
 */
@Controller('audit')
@UseGuards(AuthGuard)
export class AuditHttpController {
  constructor(
    @Inject(AuditApiHandler) private readonly handler: AuditApiHandler,
    @Inject(AUDIT_METRICS) private readonly metrics: AuditMetrics,
  ) {}

  @Post('_search')
  @RequireScopes(Scopes.AuditRead)
  async search(
    @Query('_cursor') cursor: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.search(request.body, cursor, this.context(request));
    this.metrics.apiUse('search', result.ok ? 'success' : result.error.code);
    if (!result.ok) {
      sendAnswer(reply, auditErrorAnswer(result.error));
      return;
    }
    void reply.status(200).type('application/fhir+json').send(result.value);
  }

  /** JSON: a FHIR Parameters with `bundle` and `text`; `?format=text`: the text alone. */
  @Post('innsyn')
  @RequireScopes(Scopes.AuditRead)
  async innsyn(
    @Query('format') format: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.handler.innsyn(request.body, this.context(request));
    this.metrics.apiUse('innsyn', result.ok ? 'success' : result.error.code);
    if (!result.ok) {
      sendAnswer(reply, auditErrorAnswer(result.error));
      return;
    }
    if (format === 'text') {
      void reply.status(200).type('text/plain; charset=utf-8').send(result.value.text);
      return;
    }
    void reply.status(200).type('application/fhir+json').send(innsynParameters(result.value));
  }

  @Get('verify')
  @RequireScopes(Scopes.AuditRead)
  async verify(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.handler.verify(this.context(request));
    this.metrics.apiUse('verify', result.ok ? String(result.value.valid) : result.error.code);
    if (result.ok) this.metrics.verified(result.value);
    if (!result.ok) {
      sendAnswer(reply, auditErrorAnswer(result.error));
      return;
    }
    void reply.status(200).type('application/json').send(result.value);
  }

  private context(request: FastifyRequest) {
    return { principal: principalOf(request), requestId: request.id };
  }
}
