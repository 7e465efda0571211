/**
 * The shape of the generated terminology data (generated/*.ts, written by
 * libs/fhir/tools/generate-code-systems.ts from the FHIR XML in ../shared/vkp-r4/).
 */

/** A concept property's value, one of FHIR R4's `CodeSystem.concept.property.value[x]`. */
export type ConceptPropertyValue =
  | { readonly type: 'code' | 'string' | 'dateTime'; readonly value: string }
  | { readonly type: 'integer' | 'decimal'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'Coding'; readonly value: { readonly system: string; readonly code: string } };

export type ConceptProperty = { readonly code: string } & ConceptPropertyValue;

export interface CodeSystemConcept {
  readonly code: string;
  readonly display?: string;
  readonly definition?: string;
  /**
   * The code of the concept this one is nested under in the XML; absent at the top level.
   * VKP's code systems are flat and write their hierarchy into dotted codes (`4.1` under
   * `4`) instead: see `dottedParentOf`.
   */
  readonly parent?: string;
  readonly properties?: readonly ConceptProperty[];
}

export interface CodeSystemData {
  /** The canonical URL: what `Coding.system` carries. */
  readonly url: string;
  readonly version: string;
  readonly name: string;
  readonly status: string;
  readonly description?: string;
  /** Every concept, nested ones flattened after their parent, in document order. */
  readonly concepts: readonly CodeSystemConcept[];
}

/** One `compose.include` or `compose.exclude` of a value set. */
export interface ValueSetComponent {
  readonly system: string;
  readonly version?: string;
  /** The enumerated codes; absent when the whole code system is meant. */
  readonly concepts?: readonly { readonly code: string; readonly display?: string }[];
}

export interface ValueSetData {
  readonly url: string;
  readonly version: string;
  readonly name: string;
  readonly status: string;
  readonly description?: string;
  readonly include: readonly ValueSetComponent[];
  readonly exclude: readonly ValueSetComponent[];
}
