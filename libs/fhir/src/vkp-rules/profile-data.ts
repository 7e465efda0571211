/**
 * The shape of the generated VKP profile rules (generated/vkp-profiles.ts, written by
 * libs/fhir/tools/generate-code-systems.ts from ../shared/vkp-r4/StructureDefinition and
 * ../shared/vkp-r4/MessageDefinition). Only what a rule can be checked on is kept: required
 * elements, maximum cardinalities, fixed and pattern values of primitives, required bindings,
 * slicing and the profiles of extension slices.
 */

export type FixedPrimitive = string | number | boolean;

export interface SlicingData {
  readonly discriminators: readonly { readonly type: string; readonly path: string }[];
  readonly rules: string;
}

export interface ElementRuleData {
  /** The element id as the StructureDefinition writes it: `Observation.component:SystolicBP.code`. */
  readonly id: string;
  /** Present only when the element is required (≥ 1). */
  readonly min?: number;
  /** Present only when bounded (`0`, `1`, …), never `*`. */
  readonly max?: string;
  /** A fixed[x] or pattern[x] value of a primitive type (`fixedUri`, `patternCode`, …). */
  readonly fixed?: {
    readonly kind: 'fixed' | 'pattern';
    readonly type: string;
    readonly value: FixedPrimitive;
  };
  /** The value set of a `required` binding, as the profile writes it. */
  readonly requiredBinding?: string;
  readonly slicing?: SlicingData;
  /** `type.profile` of the element (an extension slice's extension definition). */
  readonly profiles?: readonly string[];
}

export interface ProfileRuleData {
  readonly url: string;
  readonly name: string;
  /** The constrained type: a resource type, or `Extension`, `Address`, … */
  readonly type: string;
  readonly kind: string;
  readonly baseDefinition: string;
  /** The StructureDefinition file, relative to ../shared/vkp-r4. */
  readonly source: string;
  /** Where the rules were read: the snapshot when the file has one, else the differential. */
  readonly from: 'snapshot' | 'differential';
  readonly elements: readonly ElementRuleData[];
}

export interface MessageFocusData {
  readonly type: string;
  readonly min: number;
  /** `*` or a number. */
  readonly max: string;
  readonly profile?: string;
}

export interface MessageDefinitionData {
  readonly title: string;
  readonly source: string;
  readonly event: { readonly system: string; readonly code: string };
  readonly focus: readonly MessageFocusData[];
}
