import { Module } from '@nestjs/common';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import {
  databaseOf,
  AUTHORIZATION_REGISTER,
  auditMessage,
  authorizationRegisterProvider,
  httpApiProviders,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { AuditApiHandler } from './api/audit-api.handler';
import { AuditHttpController } from './api/audit.http.controller';
import { AuditHttpSetup } from './api/audit-http.setup';
import { AppendAuditFactsHandler } from './append/append-audit-facts.handler';
import { checkpointSecret, loadAuditEnv, type AuditEnv } from './audit-env';
import { AuditMetrics } from './audit-metrics';
import { CheckpointTimer } from './checkpoint/checkpoint.timer';
import { VerifyTimer } from './verify/verify.timer';
import { PostgresAuditLog, type AuditLog } from './persistence/audit-log.store';
import { AUDIT_LOG, AUDIT_METRICS, AUDIT_SETTINGS } from './tokens';

/** audit: the hash-chained audit log, its search, innsyn and verification. */
@Module({
  controllers: [AppendAuditFactsHandler, AuditHttpController],
  providers: [
    ...httpApiProviders,
    authorizationRegisterProvider,
    AuditHttpSetup,
    CheckpointTimer,
    VerifyTimer,
    {
      provide: AUDIT_SETTINGS,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): AuditEnv => loadAuditEnv(runtime.envSource),
    },
    {
      provide: AUDIT_METRICS,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime) => new AuditMetrics(runtime.metrics),
    },
    {
      provide: AUDIT_LOG,
      inject: [SERVICE_RUNTIME, AUDIT_SETTINGS],
      useFactory: (runtime: ServiceRuntime, settings: AuditEnv): AuditLog =>
        new PostgresAuditLog(databaseOf(runtime), checkpointSecret(settings)),
    },
    {
      provide: AuditApiHandler,
      inject: [AUDIT_LOG, AUTHORIZATION_REGISTER, SERVICE_RUNTIME],
      useFactory: (log: AuditLog, register: AuthorizationRegister, runtime: ServiceRuntime) => {
        const derive = patientKeyDeriver(runtime);
        return new AuditApiHandler(
          log,
          register,
          (orgnr, identifier) => derive({ orgnr, identifier }),
          (records) => runtime.producer.send(records.map((r) => auditMessage(runtime.serde, r))),
        );
      },
    },
  ],
})
export class AuditModule {}
