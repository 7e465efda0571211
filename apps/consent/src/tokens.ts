export const CONSENT_STORE = Symbol('CONSENT_STORE');
export const CONSENT_METRICS = Symbol('CONSENT_METRICS');
export const IDENTIFIER_KEY_OF = Symbol('IDENTIFIER_KEY_OF');
