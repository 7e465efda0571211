import { Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { informationalOutcome } from '@knutepunkt/fhir';
import { AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { epjErrorAnswer } from '../domain';
import { AcknowledgeEntryHandler } from './acknowledge-entry.handler';
import { SearchEntriesHandler } from './search-entries.handler';

function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The EPJ read API (DESIGN.md "EPJ read API"): translate HTTP, delegate, translate back. */
@Controller('epj')
@UseGuards(AuthGuard)
export class EpjHttpController {
  constructor(
    @Inject(SearchEntriesHandler) private readonly search: SearchEntriesHandler,
    @Inject(AcknowledgeEntryHandler) private readonly acknowledge: AcknowledgeEntryHandler,
  ) {}

  @Post(':orgnr/_search')
  @RequireScopes(Scopes.EpjRead)
  async searchEntries(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.search.handle({
      orgnr,
      principal: principalOf(request),
      contentType: request.headers['content-type'],
      body: typeof request.body === 'string' ? request.body : '',
      query: (request.query ?? {}) as Record<string, unknown>,
      baseUrl: baseUrlOf(request),
      requestId: request.id,
    });
    if (!result.ok) {
      sendAnswer(reply, epjErrorAnswer(result.error));
      return;
    }
    void reply
      .status(200)
      .header('cache-control', 'no-store')
      .type('application/fhir+json')
      .send(result.value);
  }

  @Post(':orgnr/Composition/:id/$journaling-acknowledged')
  @HttpCode(202)
  @RequireScopes(Scopes.EpjAck)
  async acknowledgeEntry(
    @Param('orgnr') orgnr: string,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.acknowledge.handle({
      orgnr,
      entryId: id,
      principal: principalOf(request),
      requestId: request.id,
    });
    if (!result.ok) {
      sendAnswer(reply, epjErrorAnswer(result.error));
      return;
    }
    void reply
      .status(202)
      .type('application/fhir+json')
      .send(
        informationalOutcome(
          result.value.firstAcknowledgement
            ? `Journal entry ${id} is recorded as journaled.`
            : `Journal entry ${id} was already recorded as journaled; nothing changed.`,
        ),
      );
  }
}
