import { Module } from '@nestjs/common';
import { CorrelationHeaders } from '@knutepunkt/kafka';
import { Topics } from '@knutepunkt/schemas';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import {
  databaseOf,
  AUTHORIZATION_REGISTER,
  authorizationRegisterProvider,
  httpApiProviders,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  TOKEN_VERIFIER,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { AdminHttpController } from './admin/admin.http.controller';
import { DeviceTemplateCatalog } from './devices/device-template-catalog';
import { SubmitDeviceReadingHttpController } from './devices/submit-device-reading.http.controller';
import { PutRegisterEntryHandler } from './admin/put-register-entry.handler';
import { registerKafkaPorts } from './admin/register-publisher';
import { FhirHttpSetup } from './http/fhir-http.setup';
import { PostgresRegisterStore, type RegisterStore } from './persistence/register-store';
import { PostgresSubmissionStore, type SubmissionStore } from './persistence/submission-store';
import { StatusProjectionHandler } from './status/status-projection.handler';
import { SubmitSubmissionHandler } from './submit/submit-submission.handler';
import { SubmitSubmissionHttpController } from './submit/submit-submission.http.controller';
import { IngestMetrics } from './ingest-metrics';
import { MetadataHttpController } from './submit/metadata.http.controller';
import { SubmissionAnswers } from './submit/submission-answers';
import { refusalAudit } from './submit/refusal-audit';
import { REFUSAL_AUDIT, REGISTER_STORE, SUBMISSION_STORE } from './tokens';

/**
 * ingest: the vendor API — authenticated, validated, idempotent submissions, durable in Kafka
 * before 202 — and the status projection behind `$status`.
 */
@Module({
  controllers: [
    SubmitSubmissionHttpController,
    SubmitDeviceReadingHttpController,
    MetadataHttpController,
    AdminHttpController,
    StatusProjectionHandler,
  ],
  providers: [
    FhirHttpSetup,
    ...httpApiProviders,
    { provide: DeviceTemplateCatalog, useFactory: () => DeviceTemplateCatalog.fromDirectory() },
    authorizationRegisterProvider,
    { provide: REFUSAL_AUDIT, inject: [SERVICE_RUNTIME], useFactory: refusalAudit },
    SubmissionAnswers,
    {
      provide: IngestMetrics,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime) => new IngestMetrics(runtime.metrics),
    },
    {
      provide: REGISTER_STORE,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): RegisterStore =>
        new PostgresRegisterStore(databaseOf(runtime)),
    },
    {
      provide: PutRegisterEntryHandler,
      inject: [REGISTER_STORE, AUTHORIZATION_REGISTER, SERVICE_RUNTIME],
      useFactory: (
        store: RegisterStore,
        register: AuthorizationRegister,
        runtime: ServiceRuntime,
      ) => new PutRegisterEntryHandler({ store, register, ...registerKafkaPorts(runtime) }),
    },
    {
      provide: SUBMISSION_STORE,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): SubmissionStore =>
        new PostgresSubmissionStore(databaseOf(runtime)),
    },
    {
      provide: SubmitSubmissionHandler,
      inject: [SUBMISSION_STORE, SERVICE_RUNTIME, AUTHORIZATION_REGISTER],
      useFactory: (
        store: SubmissionStore,
        runtime: ServiceRuntime,
        register: AuthorizationRegister,
      ) =>
        new SubmitSubmissionHandler(
          store,
          (record, key) =>
            runtime.producer.send([
              {
                topic: Topics.accepted.name,
                key,
                value: runtime.serde.encode(Topics.accepted, record),
                headers: {
                  [CorrelationHeaders.correlationId]: record.requestId ?? record.submissionId,
                },
              },
            ]),
          runtime.env.KNUTEPUNKT_ENV,
          patientKeyDeriver(runtime),
          register,
        ),
    },
  ],
  exports: [TOKEN_VERIFIER],
})
export class IngestModule {}
