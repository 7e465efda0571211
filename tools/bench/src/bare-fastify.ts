import Fastify from 'fastify';

/**
 * The framework's ceiling for the ingest benchmark: the same Fastify, body limit and body
 * handling (the text as sent, then JSON.parse), answering 202 at once. No auth, no Kafka.
 */
const app = Fastify({ bodyLimit: 1_048_576 });
app.removeAllContentTypeParsers();
app.addContentTypeParser(
  ['application/fhir+json', 'application/json'],
  { parseAs: 'string' },
  (_request, body, done) => {
    done(null, body);
  },
);
app.post('/fhir/:orgnr/:type', (request, reply) => {
  const resource = JSON.parse(String(request.body)) as { resourceType?: unknown };
  void reply.status(202).send({
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'information',
        code: 'informational',
        diagnostics: String(resource.resourceType),
      },
    ],
  });
});
app
  .listen({ port: Number(process.env['PORT'] ?? 3901), host: '127.0.0.1' })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
