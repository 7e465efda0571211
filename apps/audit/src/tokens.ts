export const AUDIT_LOG = Symbol('AUDIT_LOG');
export const AUDIT_METRICS = Symbol('AUDIT_METRICS');
export const AUDIT_SETTINGS = Symbol('AUDIT_SETTINGS');
