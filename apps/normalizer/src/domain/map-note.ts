/**
 * A Composition (vkp-Composition-v090) from a response centre or vendor that documents no alarm
 * or visit of the same Bundle → Note.
 */
import { vkpCompositionCategories } from '@knutepunkt/fhir';
import { readComposition } from './composition';
import type { PlannedEvent } from './event-plan';
import { childObjects, codingIn, codingsOf, toCoding } from './fhir-json';
import type { MappedEvent } from './mapped-event';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import { systems } from './vkp-systems';

export function mapNote(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const node = planned.anchor.node;
  const categories = childObjects(node, 'category');
  const category = categories
    .map((concept) => codingIn(concept, [systems.compositionCategory]))
    .find((coding) => coding !== undefined);
  if (category === undefined) {
    return failWith(
      categories.some((concept) => codingsOf(concept).length > 0)
        ? 'NORMALIZE.UNKNOWN_CODE'
        : 'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.category needs a coding in ${systems.compositionCategory}.`,
      `${node.path}.category`,
    );
  }
  if (!vkpCompositionCategories.has(category.code)) {
    return failWith(
      'NORMALIZE.UNKNOWN_CODE',
      `Composition category ${category.code} is not in ${systems.compositionCategory}.`,
      `${category.path}.code`,
    );
  }
  const composition = readComposition(node);
  if (!composition.ok) {
    return composition;
  }
  const { eventCode, title, sections, text, author, date, typeCodings } = composition.value;
  if (text === '' && title === null) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path} has neither a title nor any section text.`,
      `${node.path}.section`,
    );
  }
  const categoryCoding = toCoding(
    category,
    category.display ?? vkpCompositionCategories.display(category.code),
  );
  return succeed({
    body: {
      kind: 'Note',
      value: { category: categoryCoding, eventCode, title, text, sections, author },
    },
    occurredAt: date,
    severity: null,
    triage: null,
    // NHN's alarm sample puts the alert code in Composition.type: it says which service.
    classifiers: [...typeCodings, categoryCoding],
  });
}
