import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * The consent API takes JSON and FHIR JSON bodies as text, so the handlers parse them and
 * answer malformed JSON with `CONSENT.MALFORMED_JSON` rather than a bare 400; other media
 * types are refused (415) by Fastify and answered by OperationOutcomeFilter.
 */
@Injectable()
export class JsonBodySetup implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      ['application/json', 'application/fhir+json'],
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, body);
      },
    );
  }
}
