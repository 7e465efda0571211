import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '@knutepunkt/auth';
import { Scopes } from '@knutepunkt/auth';
import { AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { type EpjError, epjErrorAnswer, jftRequest } from '../domain';
import { AcknowledgeEntryHandler } from './acknowledge-entry.handler';
import { baseUrlOf, replyAcknowledged, replySearch } from './epj-replies';
import { SearchEntriesHandler } from './search-entries.handler';

/**
 * JFT's ReadAPI over the EPJ read API (DESIGN.md "Drop-in compatibility"): the same handlers
 * and store, the municipality from the token's `orgnr_parent`, so an EPJ built for JFT
 * switches by its base URL. Same scopes and register check as `/epj/{orgnr}/…`.
 */
@Controller('v1')
@UseGuards(AuthGuard)
export class JftReadHttpController {
  constructor(
    @Inject(SearchEntriesHandler) private readonly search: SearchEntriesHandler,
    @Inject(AcknowledgeEntryHandler) private readonly acknowledge: AcknowledgeEntryHandler,
  ) {}

  /** JFT's recommended search: the parameters in the URL (never a patient identifier). */
  @Get(':type')
  @RequireScopes(Scopes.EpjRead)
  async searchByGet(
    @Param('type') type: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.searchFor(type, request, reply);
  }

  /** The same search with the parameters in the body (JSON or form fields). */
  @Post(':type/_search')
  @RequireScopes(Scopes.EpjRead)
  async searchByPost(
    @Param('type') type: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.searchFor(type, request, reply);
  }

  @Post(':type/:id/$journaling-acknowledged')
  @HttpCode(202)
  @RequireScopes(Scopes.EpjAck)
  async acknowledgeEntry(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = principalOf(request);
    const target = jftRequest(type, principal.orgnrParent);
    if (!target.ok) {
      refuse(reply, principal, target.error);
      return;
    }
    const result = await this.acknowledge.handle({
      orgnr: target.value.orgnr,
      entryId: id,
      principal,
      requestId: request.id,
    });
    replyAcknowledged(reply, id, result);
  }

  private async searchFor(
    type: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const principal = principalOf(request);
    const target = jftRequest(type, principal.orgnrParent);
    if (!target.ok) {
      refuse(reply, principal, target.error);
      return;
    }
    const result = await this.search.handle({
      orgnr: target.value.orgnr,
      principal,
      contentType: request.headers['content-type'],
      body: typeof request.body === 'string' ? request.body : '',
      query: (request.query ?? {}) as Record<string, unknown>,
      baseUrl: baseUrlOf(request),
      requestId: request.id,
      api: 'jft',
    });
    replySearch(reply, result);
  }
}

/** The refusal; a token without `orgnr_parent` also gets its RFC 6750 challenge. */
function refuse(reply: FastifyReply, principal: Principal, error: EpjError): void {
  const answer = epjErrorAnswer(error);
  sendAnswer(
    reply,
    error.code === 'EPJ.NO_ORGNR_PARENT'
      ? {
          ...answer,
          headers: {
            ...answer.headers,
            'www-authenticate': `${principal.scheme} error="invalid_token", error_description="the token has no orgnr_parent"`,
          },
        }
      : answer,
  );
}
