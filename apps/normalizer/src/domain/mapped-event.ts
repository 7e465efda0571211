/**
 * What each kind's mapper hands to the assembly (normalize-submission.ts): the body and the
 * facts the shared steps need (time, severity, triage, the codings the service rules read).
 */
import type { Coding, TaggedWelfareEventBody } from '@knutepunkt/schemas';
import { child, codingsOf, stringAt, stringValue, type JsonNode } from './fhir-json';

export interface MappedEvent {
  readonly body: TaggedWelfareEventBody;
  /** When it happened, as the sender said; undefined when the sender gave no time. */
  readonly occurredAt: number | undefined;
  readonly severity: Coding | null;
  readonly triage: Coding | null;
  /** The codings that say which service the event belongs to (service-rules.ts). */
  readonly classifiers: readonly Coding[];
}

/**
 * A FHIR `value[x]` (or `answer.value[x]`) that is not a Quantity, rendered as text:
 * strings as they are, codings by their display (else their code), numbers, booleans, dates and
 * times in their FHIR JSON form. Undefined when `node` has no value of a known type.
 */
export function renderValue(node: JsonNode, prefix = 'value'): string | undefined {
  const primitive = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    if (found === undefined) {
      return undefined;
    }
    const value = found.value;
    if (typeof value === 'string') {
      return stringValue(found);
    }
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  };
  const concept = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    if (found === undefined) {
      return undefined;
    }
    const [first] = codingsOf(found);
    return stringAt(found, 'text') ?? first?.display ?? first?.code;
  };
  const coding = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    return found === undefined
      ? undefined
      : (stringAt(found, 'display') ?? stringAt(found, 'code'));
  };
  const quantity = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    const value = found === undefined ? undefined : child(found, 'value')?.value;
    if (found === undefined || typeof value !== 'number') {
      return undefined;
    }
    const unit = stringAt(found, 'unit') ?? stringAt(found, 'code');
    return unit === undefined ? String(value) : `${value} ${unit}`;
  };
  const reference = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    return found === undefined
      ? undefined
      : (stringAt(found, 'display') ?? stringAt(found, 'reference'));
  };
  const attachment = (suffix: string): string | undefined => {
    const found = child(node, `${prefix}${suffix}`);
    return found === undefined ? undefined : (stringAt(found, 'title') ?? stringAt(found, 'url'));
  };
  return (
    primitive('String') ??
    primitive('Boolean') ??
    primitive('Integer') ??
    primitive('Decimal') ??
    primitive('Date') ??
    primitive('DateTime') ??
    primitive('Time') ??
    primitive('Instant') ??
    primitive('Uri') ??
    coding('Coding') ??
    concept('CodeableConcept') ??
    quantity('Quantity') ??
    reference('Reference') ??
    attachment('Attachment')
  );
}
