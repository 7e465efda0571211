/** Injection tokens for what the service kit provides to every app module. */
export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
