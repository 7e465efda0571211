export const JOURNAL_STORE = Symbol('JOURNAL_STORE');
/** `(orgnr, identifier) => patient key`: the deployment's patient-key function. */
export const PATIENT_KEY_OF = Symbol('PATIENT_KEY_OF');
