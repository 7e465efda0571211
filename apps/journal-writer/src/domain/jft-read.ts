/**
 * JFT's ReadAPI as an alias of the EPJ read API (DESIGN.md "Drop-in compatibility";
 * docs/epj-guide.md "Switching from JFT"): which resource types it serves, and the
 * municipality from the token's `orgnr_parent` instead of the path. Pure.
 */
import { type EpjResult, epjFail } from './epj-error';

/**
 * Every journal entry is one Composition (the original resources are referenced from it and
 * carried on the EPJ topic), so of JFT's Bundle, Composition and MedicationDispense only
 * Composition is served. The others are refused rather than answered empty, so an EPJ that
 * polls `/v1/Bundle` learns at once where its entries are instead of waiting for ever.
 */
export const jftReadTypes = ['Composition'] as const;

export interface JftRequest {
  readonly orgnr: string;
}

/** The municipality of a JFT ReadAPI request, or why there is none. */
export function jftRequest(type: string, orgnrParent: string | undefined): EpjResult<JftRequest> {
  if (!jftReadTypes.some((t) => t === type))
    return epjFail(
      'EPJ.UNSUPPORTED_TYPE',
      `Knutepunkt journals every event as a Composition: search /v1/Composition (${type} is not served).`,
    );
  if (orgnrParent === undefined)
    return epjFail(
      'EPJ.NO_ORGNR_PARENT',
      "The token names no municipality (HelseID claim orgnr_parent), which JFT's ReadAPI reads it from; get a token for the municipality, or use /epj/{orgnr}/_search.",
    );
  return { ok: true, value: { orgnr: orgnrParent } };
}
