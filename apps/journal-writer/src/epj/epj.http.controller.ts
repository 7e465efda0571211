import { Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { AuthGuard, principalOf, RequireScopes } from '@knutepunkt/service';
import { AcknowledgeEntryHandler } from './acknowledge-entry.handler';
import { baseUrlOf, replyAcknowledged, replySearch } from './epj-replies';
import { SearchEntriesHandler } from './search-entries.handler';

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
    replySearch(reply, result);
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
    replyAcknowledged(reply, id, result);
  }
}
