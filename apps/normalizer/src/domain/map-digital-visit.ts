/**
 * A digital Encounter (vkp-digital-Encounter-v090, digitalt tilsyn) → DigitalVisit. The
 * profile fixes `class` to v3-ActCode `VR`; vendors from before it send the kind of look-in in
 * vkp-encounter-class-v090, in `class` or `type`. The more specific VKP coding wins. The
 * Composition of a supervision Bundle (Encounter + Composition) is folded in as `text`.
 */
import { vkpEncounterClasses, vkpEncounterModes, vkpEncounterReasons } from '@knutepunkt/fhir';
import type { Coding } from '@knutepunkt/schemas';
import { readComposition } from './composition';
import type { PlannedEvent } from './event-plan';
import {
  child,
  childObject,
  childObjects,
  codingIn,
  extensionsOf,
  optionalDateTime,
  readCoding,
  requiredString,
  stringAt,
  toCoding,
  type JsonNode,
  type ReadCoding,
} from './fhir-json';
import type { MappedEvent } from './mapped-event';
import { failWith, mapAll, succeed, type NormalizeResult } from './normalize-error';
import { extensionUrls, systems } from './vkp-systems';

interface CodeLookup {
  readonly url: string;
  has(code: string): boolean;
  lookup(code: string): { readonly display?: string } | undefined;
}

export function mapDigitalVisit(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const node = planned.anchor.node;
  const visitClass = visitClassOf(node);
  if (!visitClass.ok) {
    return visitClass;
  }
  const modeCoding = childObjects(node, 'participant')
    .flatMap((participant) => childObjects(participant, 'type'))
    .map((type) => codingIn(type, [systems.encounterMode, systems.retiredEncounterType]))
    .find((coding) => coding !== undefined);
  const mode = known(modeCoding, vkpEncounterModes, 'Encounter mode');
  if (!mode.ok) {
    return mode;
  }
  const reasonCoding = childObjects(node, 'reasonCode')
    .map((reason) => codingIn(reason, [systems.encounterReason]))
    .find((coding) => coding !== undefined);
  const reason = known(reasonCoding, vkpEncounterReasons, 'Encounter reason');
  if (!reason.ok) {
    return reason;
  }
  const status = requiredString(node, 'status');
  if (!status.ok) {
    return status;
  }
  const period = childObject(node, 'period');
  const start = period === undefined ? succeed(undefined) : optionalDateTime(period, 'start');
  if (!start.ok) {
    return start;
  }
  const end = period === undefined ? succeed(undefined) : optionalDateTime(period, 'end');
  if (!end.ok) {
    return end;
  }
  const compositions = mapAll(
    planned.folded.filter((resource) => resource.resourceType === 'Composition'),
    (composition) => readComposition(composition.node),
  );
  if (!compositions.ok) {
    return compositions;
  }
  const annotations = extensionsOf(node, extensionUrls.annotation)
    .map((extension) => childObject(extension, 'valueAnnotation'))
    .map((annotation) => (annotation === undefined ? undefined : stringAt(annotation, 'text')))
    .filter((text) => text !== undefined);
  const texts = [
    ...compositions.value.map((composition) => composition.text),
    ...annotations,
  ].filter((text) => text !== '');
  return succeed({
    body: {
      kind: 'DigitalVisit',
      value: {
        visitClass: visitClass.value,
        mode: mode.value,
        reason: reason.value,
        status: status.value,
        start: start.value ?? null,
        end: end.value ?? null,
        text: texts.length === 0 ? null : texts.join('\n\n'),
      },
    },
    // The profile lets a vendor that does not know the start give only the end.
    occurredAt: start.value ?? end.value,
    severity: null,
    triage: null,
    classifiers: [visitClass.value],
  });
}

/** The VKP encounter class if sent, else `class` when it says virtual; anything else is not digital. */
function visitClassOf(node: JsonNode): NormalizeResult<Coding> {
  const classNode = child(node, 'class');
  const classCoding = classNode === undefined ? undefined : readCoding(classNode);
  const vkpClass =
    (classCoding?.system === systems.encounterClass ? classCoding : undefined) ??
    childObjects(node, 'type')
      .map((type) => codingIn(type, [systems.encounterClass]))
      .find((coding) => coding !== undefined);
  if (vkpClass !== undefined) {
    const checked = known(vkpClass, vkpEncounterClasses, 'Encounter class');
    return checked.ok ? succeed(checked.value ?? toCoding(vkpClass)) : checked;
  }
  if (classCoding === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.class is required (v3-ActCode VR for a digital encounter).`,
      `${node.path}.class`,
    );
  }
  if (classCoding.system !== systems.v3ActCode || classCoding.code !== 'VR') {
    return failWith(
      'NORMALIZE.UNSUPPORTED_CONTENT',
      `Encounter class ${classCoding.system}|${classCoding.code} is not a digital (virtual) encounter; only digital encounters are events of their own.`,
      `${classCoding.path}.code`,
    );
  }
  return succeed(toCoding(classCoding, classCoding.display ?? 'virtual'));
}

/** A coding of a VKP code system that must hold its code; undefined stays null. */
function known(
  coding: ReadCoding | undefined,
  codeSystem: CodeLookup,
  what: string,
): NormalizeResult<Coding | null> {
  if (coding === undefined) {
    return succeed(null);
  }
  if (coding.system === codeSystem.url && !codeSystem.has(coding.code)) {
    return failWith(
      'NORMALIZE.UNKNOWN_CODE',
      `${what} ${coding.code} is not in ${codeSystem.url}.`,
      `${coding.path}.code`,
    );
  }
  return succeed(
    toCoding(coding, coding.display ?? codeSystem.lookup(coding.code)?.display ?? null),
  );
}
