/**
 * Expected failures are values (STYLE.md "Shape"): every check in this library returns a
 * `Result` whose error carries a stable `FHIR.…` code, a human-readable English message and,
 * where the caller gave one, the FHIRPath expression of the offending element.
 *
 * Messages never repeat the checked value: they end up in logs and OperationOutcomes, and the
 * value may be a national identity number.
 */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export interface FhirError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  /** FHIRPath of the offending element, e.g. `MedicationDispense.subject.identifier.value`. */
  readonly expression?: string;
}

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<Code extends string>(
  code: Code,
  message: string,
  expression?: string,
): { readonly ok: false; readonly error: FhirError<Code> } {
  return {
    ok: false,
    error: expression === undefined ? { code, message } : { code, message, expression },
  };
}
