import { Module } from '@nestjs/common';
import { CorrelationHeaders } from '@knutepunkt/kafka';
import { Topics } from '@knutepunkt/schemas';
import {
  httpApiProviders,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  TOKEN_VERIFIER,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { FhirHttpSetup } from './http/fhir-http.setup';
import { PostgresSubmissionStore, type SubmissionStore } from './persistence/submission-store';
import { StatusProjectionHandler } from './status/status-projection.handler';
import { SubmitSubmissionHandler } from './submit/submit-submission.handler';
import { SubmitSubmissionHttpController } from './submit/submit-submission.http.controller';
import { SUBMISSION_STORE } from './tokens';

/**
 * ingest: the vendor API — authenticated, validated, idempotent submissions, durable in Kafka
 * before 202 — and the status projection behind `$status`.
 */
@Module({
  controllers: [SubmitSubmissionHttpController, StatusProjectionHandler],
  providers: [
    FhirHttpSetup,
    ...httpApiProviders,
    {
      provide: SUBMISSION_STORE,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): SubmissionStore => {
        if (!runtime.dataSource) throw new Error('ingest runs with its database');
        return new PostgresSubmissionStore(runtime.dataSource);
      },
    },
    {
      provide: SubmitSubmissionHandler,
      inject: [SUBMISSION_STORE, SERVICE_RUNTIME],
      useFactory: (store: SubmissionStore, runtime: ServiceRuntime) =>
        new SubmitSubmissionHandler(
          store,
          (record) =>
            runtime.producer.send([
              {
                topic: Topics.accepted.name,
                key: record.patientKey ?? record.submissionId,
                value: runtime.serde.encode(Topics.accepted, record),
                headers: {
                  [CorrelationHeaders.correlationId]: record.requestId ?? record.submissionId,
                },
              },
            ]),
          runtime.env.KNUTEPUNKT_ENV,
          patientKeyDeriver(runtime),
        ),
    },
  ],
  exports: [TOKEN_VERIFIER],
})
export class IngestModule {}
