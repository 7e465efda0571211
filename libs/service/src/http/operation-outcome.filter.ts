import {
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer, operationOutcome, type ErrorHttpMapping } from '@knutepunkt/fhir';
import { SERVICE_RUNTIME } from '../tokens';
import type { ServiceRuntime } from '../service-runtime';
import { AuthFailure } from './auth.guard';
import { sendAnswer } from './fhir-reply';

type RefusedBeforeTheHandler = 'HTTP.BODY_TOO_LARGE' | 'HTTP.UNSUPPORTED_MEDIA_TYPE';

const refusals: Record<RefusedBeforeTheHandler, ErrorHttpMapping> = {
  'HTTP.BODY_TOO_LARGE': { status: 413, fhirCode: 'too-long', vkpCode: '2' },
  'HTTP.UNSUPPORTED_MEDIA_TYPE': { status: 415, fhirCode: 'not-supported', vkpCode: '2.4' },
};

/** What Fastify refuses while reading the request, before any handler runs. */
const refusedBeforeTheHandler: Partial<
  Record<number, { code: RefusedBeforeTheHandler; message: string }>
> = {
  413: { code: 'HTTP.BODY_TOO_LARGE', message: 'The body is larger than 1 MiB.' },
  415: {
    code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as Content-Type: application/fhir+json (or application/json).',
  },
};

/** An HttpException's status, a Fastify error's statusCode, else 500. */
function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
}

/**
 * Anything a handler throws, and any route Nest does not know, answers as an OperationOutcome:
 * the HTTP status of an HttpException, else 500 with no detail (the error is logged with
 * the request id, never returned).
 */
@Catch()
export class OperationOutcomeFilter implements ExceptionFilter {
  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (exception instanceof AuthFailure) {
      this.sendAuthFailure(reply, exception);
      return;
    }
    const status = statusOf(exception);
    const known = refusedBeforeTheHandler[status];
    if (known) {
      sendAnswer(reply, errorAnswer(refusals, known));
      return;
    }
    if (status >= 500)
      this.runtime.logger.error({ requestId: request.id, err: exception }, 'request failed');
    const body = operationOutcome([
      {
        severity: 'error',
        code: status === 404 ? 'not-found' : status >= 500 ? 'exception' : 'processing',
        diagnostics:
          status >= 500
            ? `Internal error; quote request id ${request.id} when reporting it.`
            : exception instanceof HttpException
              ? exception.message
              : 'Request refused.',
      },
    ]);
    void reply.status(status).type('application/fhir+json').send(body);
  }

  private sendAuthFailure(reply: FastifyReply, failure: AuthFailure): void {
    const { authError } = failure;
    const body = operationOutcome([
      {
        severity: 'error',
        code:
          authError.status === 403
            ? 'forbidden'
            : authError.status === 503
              ? 'transient'
              : 'security',
        // VKP 1.5 "ikke tilgang" for a missing or refused credential; 3 when our side failed.
        vkpCode: authError.status === 503 ? '3' : '1.5',
        errorCode: authError.code,
        diagnostics: authError.message,
      },
    ]);
    void reply.header('www-authenticate', authError.challenge);
    if (authError.dpopNonce !== undefined) void reply.header('dpop-nonce', authError.dpopNonce);
    void reply.status(authError.status).type('application/fhir+json').send(body);
  }
}
