/**
 * Working with the `body` union of a WelfareEvent. avsc represents it wrapped
 * (`{ 'no.knutepunkt.v1.Alert': alert }`); these helpers give it a `kind` to switch on.
 */
import { avroNamespace } from './avro-json';
import type {
  Alert,
  DigitalVisit,
  Location,
  Measurement,
  MedicationDispensing,
  Note,
  QuestionnaireAnswer,
  WelfareEventBody,
} from './generated';

/** Each kind of welfare event and the record of its body. */
export interface WelfareEventBodyByKind {
  MedicationDispensing: MedicationDispensing;
  Alert: Alert;
  DigitalVisit: DigitalVisit;
  Measurement: Measurement;
  Location: Location;
  Note: Note;
  QuestionnaireAnswer: QuestionnaireAnswer;
}

/** The kind of a welfare event: the short name of its body record, e.g. `Alert`. */
export type WelfareEventKind = keyof WelfareEventBodyByKind;

/** The kinds in the order of the body union's branches. */
export const welfareEventKinds: readonly WelfareEventKind[] = [
  'MedicationDispensing',
  'Alert',
  'DigitalVisit',
  'Measurement',
  'Location',
  'Note',
  'QuestionnaireAnswer',
];

/** A body with its kind, for an exhaustive `switch (body.kind)`. */
export type TaggedWelfareEventBody = {
  [K in WelfareEventKind]: { readonly kind: K; readonly value: WelfareEventBodyByKind[K] };
}[WelfareEventKind];

const kindByBranchName: ReadonlyMap<string, WelfareEventKind> = new Map(
  welfareEventKinds.map((kind) => [`${avroNamespace}.${kind}`, kind]),
);

/** Wraps a body record as the `body` field wants it. */
export function welfareEventBody<K extends WelfareEventKind>(
  kind: K,
  value: WelfareEventBodyByKind[K],
): WelfareEventBody {
  // The computed key is exactly one branch's full name; TypeScript cannot see that.
  return { [`${avroNamespace}.${kind}`]: value } as unknown as WelfareEventBody;
}

/** The body's kind and record. Throws for a body that is not one of the known branches. */
export function tagWelfareEventBody(body: WelfareEventBody): TaggedWelfareEventBody {
  const branchNames = Object.keys(body);
  const kind = branchNames.length === 1 ? kindByBranchName.get(branchNames[0] ?? '') : undefined;
  if (kind === undefined) {
    throw new Error(`Not a WelfareEvent body: branches ${JSON.stringify(branchNames)}`);
  }
  const value: unknown = (body as Readonly<Record<string, unknown>>)[`${avroNamespace}.${kind}`];
  // value is the branch record for `kind`: avsc decoded (or the builder wrapped) it so.
  return { kind, value } as TaggedWelfareEventBody;
}

/** The body's kind, e.g. `Alert`. */
export function welfareEventKind(body: WelfareEventBody): WelfareEventKind {
  return tagWelfareEventBody(body).kind;
}
