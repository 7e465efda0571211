import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ensureFhirDefinitions } from '@knutepunkt/fhir';

/** FHIR's JSON media type, and plain JSON, which the FHIR spec says servers should also take. */
export const acceptedMediaTypes = ['application/fhir+json', 'application/json'] as const;

/**
 * Fastify-level HTTP behaviour of ingest: bodies arrive as the exact text sent (hashed and
 * forwarded as received); other media types are refused (415) and oversize bodies too (413,
 * before they are read to the end). Nest hands those refusals to OperationOutcomeFilter.
 * The FHIR R4 definitions are loaded here, before ingest listens: loaded on first use they
 * held the first valid submission after a start for some 3 seconds.
 */
@Injectable()
export class FhirHttpSetup implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    ensureFhirDefinitions();
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      [...acceptedMediaTypes],
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, body);
      },
    );
  }
}
