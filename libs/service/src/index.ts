export {
  runService,
  runServiceCommand,
  kafkaConnection,
  schemaRegistryOptions,
  consumerGroupOf,
} from './bootstrap';
export type { ServiceDefinition, RunningService } from './bootstrap';
export { databaseOf, migrate, openDatabase } from './database';
export type { DatabaseDefinition } from './database';
export { SERVICE_RUNTIME, READINESS_CHECKS } from './tokens';
export type { ServiceRuntime, AppName } from './service-runtime';
export { serviceEnv } from './service-env';
export type { ServiceEnv } from './service-env';
export { patientKeyDeriver } from './patient-key';
export {
  AuthGuard,
  AuthFailure,
  RequireScopes,
  principalOf,
  TOKEN_VERIFIER,
  tokenVerifierProvider,
} from './http/auth.guard';
export { OperationOutcomeFilter } from './http/operation-outcome.filter';
export { sendAnswer } from './http/fhir-reply';
export { httpApiProviders } from './http/http-api';
export {
  AUTHORIZATION_REGISTER,
  authorizationRegisterProvider,
} from './authorization-register.provider';
export { actorOf, serviceActor, auditRecord, auditMessage } from './audit';
export type { AuditFacts } from './audit';
export { ApiAnswers, operationOutcomeSchema } from './http/openapi';
export { Periodic } from './periodic';
