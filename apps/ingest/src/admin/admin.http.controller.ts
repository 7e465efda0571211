import { Controller, Get, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Scopes } from '@knutepunkt/auth';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  ApiAnswers,
  AuthGuard,
  principalOf,
  RequireScopes,
  sendAnswer,
} from '@knutepunkt/service';
import { adminErrorAnswer } from '../domain/ingest-error.http';
import type { Result } from '../domain/result';
import type { AdminError } from '../domain/admin-input';
import type { RegisterStore } from '../persistence/register-store';
import { REGISTER_STORE } from '../tokens';
import { PutRegisterEntryHandler, type PutOutcome } from './put-register-entry.handler';

/** The admin API (DESIGN.md "Admin API (ingest) — onboarding"): translate HTTP, delegate, translate back. */
const putAnswers = (what: string) => ({
  201: `The ${what} was created and published on knutepunkt.registry.v1; the body is the entry as stored.`,
  200: `The ${what} was updated (an identical PUT changes nothing but is published again).`,
  400: 'The body is not JSON.',
  401: 'Missing or invalid token.',
  403: 'Scope `knutepunkt:admin` missing.',
  422: 'A field is missing or invalid (the issue names it), an organisation number fails its mod-11 check, or a client names a municipality not onboarded.',
  503: 'Kafka unavailable; nothing was kept. Retry the same PUT.',
});

@ApiTags('admin API')
@Controller('admin')
@UseGuards(AuthGuard)
export class AdminHttpController {
  constructor(
    @Inject(PutRegisterEntryHandler) private readonly handler: PutRegisterEntryHandler,
    @Inject(REGISTER_STORE) private readonly store: RegisterStore,
  ) {}

  @Put('municipalities/:orgnr')
  @RequireScopes(Scopes.Admin)
  @ApiOperation({ summary: 'Onboard or update a municipality; creates its EPJ topic' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        identifierSystems: {
          type: 'array',
          items: { type: 'string' },
          description: "The municipality's own patient identifier systems (absolute URIs).",
        },
        policy: {
          type: 'object',
          properties: {
            mode: { type: 'string', enum: ['opt-in', 'opt-out'] },
            holdFor: { type: 'string', example: 'PT24H' },
          },
        },
      },
    },
  })
  @ApiAnswers(putAnswers('municipality'))
  async putMunicipality(
    @Param('orgnr') orgnr: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPutOutcome(reply, await this.handler.municipality(commandOf(orgnr, request)));
  }

  @Put('clients/:clientId')
  @RequireScopes(Scopes.Admin)
  @ApiOperation({
    summary: 'Register or update a vendor or EPJ client in the authorization register',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'kind'],
      properties: {
        name: { type: 'string' },
        kind: { type: 'string', enum: ['vendor', 'epj'] },
        municipalities: { type: 'array', items: { type: 'string' } },
        services: {
          type: 'array',
          items: { type: 'string', enum: ['TA', 'GPS', 'MD', 'DT', 'DHO'] },
        },
        requireDpop: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        ratePerSecond: { type: 'number', default: 50 },
      },
    },
  })
  @ApiAnswers(putAnswers('client'))
  async putClient(
    @Param('clientId') clientId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPutOutcome(reply, await this.handler.client(commandOf(clientId, request)));
  }

  @Get('municipalities')
  @RequireScopes(Scopes.Admin)
  @ApiOperation({ summary: 'Every municipality, by organisation number' })
  @ApiAnswers({
    200: '`{ municipalities: [...] }`',
    401: 'Missing or invalid token.',
    403: 'Scope `knutepunkt:admin` missing.',
  })
  async municipalities(): Promise<unknown> {
    return { municipalities: await this.store.municipalities() };
  }

  @Get('clients')
  @RequireScopes(Scopes.Admin)
  @ApiOperation({ summary: 'Every client, by id' })
  @ApiAnswers({
    200: '`{ clients: [...] }`',
    401: 'Missing or invalid token.',
    403: 'Scope `knutepunkt:admin` missing.',
  })
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
