/**
 * QuestionnaireResponse (vkp-QuestionnaireReponse-v090) → QuestionnaireAnswer. Nested items
 * (item.item, and items under an answer) are flattened in document order; their link ids keep
 * the questionnaire's structure.
 */
import type { QuestionnaireAnswerItem } from '@knutepunkt/schemas';
import type { PlannedEvent } from './event-plan';
import {
  childObjects,
  optionalDateTime,
  requiredString,
  stringAt,
  type JsonNode,
} from './fhir-json';
import { renderValue, type MappedEvent } from './mapped-event';
import { failWith, succeed, type NormalizeResult } from './normalize-error';

export function mapQuestionnaireAnswer(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const node = planned.anchor.node;
  const status = requiredString(node, 'status');
  if (!status.ok) {
    return status;
  }
  const authored = optionalDateTime(node, 'authored');
  if (!authored.ok) {
    return authored;
  }
  const items: QuestionnaireAnswerItem[] = [];
  const flattened = flattenItems(node, items);
  if (!flattened.ok) {
    return flattened;
  }
  return succeed({
    body: {
      kind: 'QuestionnaireAnswer',
      value: {
        questionnaire: stringAt(node, 'questionnaire') ?? null,
        status: status.value,
        authoredAt: authored.value ?? null,
        items,
      },
    },
    occurredAt: authored.value,
    severity: null,
    triage: null,
    classifiers: [],
  });
}

function flattenItems(parent: JsonNode, into: QuestionnaireAnswerItem[]): NormalizeResult<true> {
  for (const item of childObjects(parent, 'item')) {
    const linkId = stringAt(item, 'linkId');
    if (linkId === undefined) {
      return failWith(
        'NORMALIZE.MISSING_ELEMENT',
        `${item.path}.linkId is required.`,
        `${item.path}.linkId`,
      );
    }
    const answers = childObjects(item, 'answer');
    const rendered = answers
      .map((answer) => renderValue(answer))
      .filter((answer) => answer !== undefined);
    if (rendered.length > 0) {
      into.push({ linkId, text: stringAt(item, 'text') ?? null, answers: rendered });
    }
    for (const answer of answers) {
      const nested = flattenItems(answer, into);
      if (!nested.ok) {
        return nested;
      }
    }
    const nested = flattenItems(item, into);
    if (!nested.ok) {
      return nested;
    }
  }
  return succeed(true);
}
