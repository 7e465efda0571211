import { Controller, Get, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { actorOf, AuthGuard, principalOf, RequireScopes, sendAnswer } from '@knutepunkt/service';
import { adminErrorAnswer } from '../domain/ingest-error.http';
import type { Result } from '../domain/result';
import type { AdminError } from '../domain/admin-input';
import type { RegisterStore } from '../persistence/register-store';
import { REGISTER_STORE } from '../tokens';
import { PutRegisterEntryHandler, type PutOutcome } from './put-register-entry.handler';

/** The admin API (DESIGN.md "Admin API (ingest) — onboarding"): translate HTTP, delegate, translate back. */
@Controller('admin')
@UseGuards(AuthGuard)
export class AdminHttpController {
  constructor(
    @Inject(PutRegisterEntryHandler) private readonly handler: PutRegisterEntryHandler,
    @Inject(REGISTER_STORE) private readonly store: RegisterStore,
  ) {}

  @Put('municipalities/:orgnr')
  @RequireScopes(Scopes.Admin)
  async putMunicipality(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPutOutcome(reply, await this.handler.municipality(commandOf(orgnr, request)));
  }

  @Put('clients/:clientId')
  @RequireScopes(Scopes.Admin)
  async putClient(
    @Param('clientId') clientId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPutOutcome(reply, await this.handler.client(commandOf(clientId, request)));
  }

  @Get('municipalities')
  @RequireScopes(Scopes.Admin)
  async municipalities(): Promise<unknown> {
    return { municipalities: await this.store.municipalities() };
  }

  @Get('clients')
  @RequireScopes(Scopes.Admin)
  async clients(): Promise<unknown> {
    return { clients: await this.store.clients() };
  }
}

function commandOf(id: string, request: FastifyRequest) {
  return {
    id,
    body: typeof request.body === 'string' ? request.body : '',
    actor: actorOf(principalOf(request), 'admin'),
    requestId: request.id,
  };
}

function sendPutOutcome<T>(reply: FastifyReply, result: Result<PutOutcome<T>, AdminError>): void {
  if (!result.ok) {
    sendAnswer(reply, adminErrorAnswer(result.error));
    return;
  }
  void reply
    .status(result.value.created ? 201 : 200)
    .type('application/json')
    .send(result.value.value);
}
