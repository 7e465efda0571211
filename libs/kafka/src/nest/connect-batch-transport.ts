import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { KafkaErrorPassthroughFilter } from './error-passthrough.filter';
import type { KafkaBatchTransport } from './kafka-batch.transport';

/**
 * Attaches the batch transport to an HTTP app (every service is such a hybrid) with the
 * KafkaErrorPassthroughFilter in place, so the consumer sees each handler's own error.
 *
 * Nest registers a connected microservice's handlers at once, and a filter added after that is
 * ignored (with a warning): the default handler then turns every error into
 * `{ status: 'error' }`, and the consumer would retry a NonRetriableError and dead-letter an
 * event whose only fault was a database restart. So the handlers are registered when the
 * microservice starts listening, after the filter; the app, not the microservice, runs the
 * modules' lifecycle hooks, as it does when Nest connects a microservice itself.
 */
export function connectBatchTransport(
  app: INestApplication,
  strategy: KafkaBatchTransport,
): INestMicroservice {
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy },
    // HTTP filters and pipes are not for batches.
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new KafkaErrorPassthroughFilter());
  (microservice as NestMicroservice).setIsInitHookCalled(true);
  return microservice;
}
