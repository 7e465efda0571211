export { ServiceMetrics, metricPrefix } from './metrics';
export type { KafkaMetrics, HttpMetrics } from './metrics';
export { createLogger, errorForLog, redactedPaths } from './logger';
export type { Logger } from './logger';
export { runReadinessChecks } from './readiness';
export type { ReadinessCheck, ReadinessReport } from './readiness';
