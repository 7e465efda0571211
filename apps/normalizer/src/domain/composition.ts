/**
 * Reading a VKP Composition (vkp-Composition-v090): a response centre's note. Used on its own
 * (a Note) and folded into the alarm or digital visit it documents.
 */
import { vkpCompositionEvents, vkpCompositionSections } from '@knutepunkt/fhir';
import type { Coding, NoteSection } from '@knutepunkt/schemas';
import {
  child,
  childObject,
  childObjects,
  codingIn,
  codingsOf,
  narrativeText,
  parseDateTime,
  stringAt,
  toCoding,
  type JsonNode,
} from './fhir-json';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import { systems } from './vkp-systems';

export interface ReadComposition {
  /** Composition.event.code in vkp-composition-event-v090: the step the handling reached. */
  readonly eventCode: Coding | null;
  readonly title: string | null;
  readonly sections: readonly NoteSection[];
  /** The sections' texts in order (the Composition's own narrative when it has no sections). */
  readonly text: string;
  readonly author: string | null;
  /** Composition.date. */
  readonly date: number | undefined;
  /** Composition.type's codings (NHN's alarm sample puts the alert code there). */
  readonly typeCodings: readonly Coding[];
}

export function readComposition(node: JsonNode): NormalizeResult<ReadComposition> {
  const eventCode = latestEventCode(node);
  if (!eventCode.ok) {
    return eventCode;
  }
  const sections = childObjects(node, 'section').flatMap((section) => flattenSections(section));
  const narrative = childObject(node, 'text');
  const ownText = narrative === undefined ? undefined : stringAt(narrative, 'div');
  const text =
    sections.length > 0
      ? sections.map((section) => section.text).join('\n\n')
      : ownText === undefined
        ? ''
        : narrativeText(ownText);
  const dateNode = child(node, 'date');
  const date = dateNode === undefined ? succeed(undefined) : parseDateTime(dateNode);
  if (!date.ok) {
    return date;
  }
  const [author] = childObjects(node, 'author');
  return succeed({
    eventCode: eventCode.value,
    title: stringAt(node, 'title') ?? null,
    sections,
    text,
    author: author === undefined ? null : (stringAt(author, 'display') ?? null),
    date: date.value,
    typeCodings: codingsOf(child(node, 'type')).map((coding) => toCoding(coding)),
  });
}

/**
 * A response centre records each step of its handling as a Composition.event (0 hendelse meldt,
 * 1 behandles, 3 kvittert, …): the step reached is the latest by `period.start`, else the last
 * one sent.
 */
function latestEventCode(node: JsonNode): NormalizeResult<Coding | null> {
  let latest: { readonly coding: Coding; readonly at: number } | undefined;
  for (const event of childObjects(node, 'event')) {
    const concepts = childObjects(event, 'code');
    const coding = concepts
      .map((concept) => codingIn(concept, [systems.compositionEvent]))
      .find((found) => found !== undefined);
    if (coding === undefined) {
      continue;
    }
    if (!vkpCompositionEvents.has(coding.code)) {
      return failWith(
        'NORMALIZE.UNKNOWN_CODE',
        `Composition event code ${coding.code} is not in ${systems.compositionEvent}.`,
        `${coding.path}.code`,
      );
    }
    const period = childObject(event, 'period');
    const startNode = period === undefined ? undefined : child(period, 'start');
    const start = startNode === undefined ? succeed(undefined) : parseDateTime(startNode);
    if (!start.ok) {
      return start;
    }
    const at = start.value ?? Number.NEGATIVE_INFINITY;
    if (latest === undefined || at >= latest.at) {
      latest = {
        coding: toCoding(coding, coding.display ?? vkpCompositionEvents.display(coding.code)),
        at,
      };
    }
  }
  return succeed(latest?.coding ?? null);
}

function flattenSections(section: JsonNode): NoteSection[] {
  const narrative = childObject(section, 'text');
  const div = narrative === undefined ? undefined : stringAt(narrative, 'div');
  const text = div === undefined ? '' : narrativeText(div);
  const code =
    codingIn(child(section, 'code'), [systems.compositionSection]) ??
    codingsOf(child(section, 'code'))[0];
  const own: NoteSection[] =
    text === ''
      ? []
      : [
          {
            code:
              code === undefined
                ? null
                : toCoding(
                    code,
                    code.display ??
                      (code.system === systems.compositionSection &&
                      vkpCompositionSections.has(code.code)
                        ? vkpCompositionSections.display(code.code)
                        : null),
                  ),
            title: stringAt(section, 'title') ?? null,
            text,
          },
        ];
  return [...own, ...childObjects(section, 'section').flatMap((nested) => flattenSections(nested))];
}
