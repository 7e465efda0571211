export const SUBMISSION_STORE = Symbol('SUBMISSION_STORE');
export const REGISTER_STORE = Symbol('REGISTER_STORE');
export const REFUSAL_AUDIT = Symbol('REFUSAL_AUDIT');
