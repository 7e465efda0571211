import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { formMediaType, jsonMediaTypes } from '../domain';

/**
 * The EPJ read API takes its search parameters as JSON or as form fields (FHIR's POST
 * `_search`). Bodies arrive as text and are parsed by the handler, so a malformed body is an
 * `EPJ.MALFORMED_BODY` OperationOutcome; other media types are refused with 415.
 */
@Injectable()
export class EpjHttpSetup implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      [...jsonMediaTypes, formMediaType],
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => {
        done(null, body);
      },
    );
  }
}
