import { aVkpQuestionnaireResponse, vkpFixtureTimes } from '@knutepunkt/fhir/testing';
import { bodyOf, errorOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';

describe('QuestionnaireResponse → QuestionnaireAnswer', () => {
  it('flattens the answered questions in document order, answers as text', () => {
    const event = onlyEventOf(aVkpQuestionnaireResponse());

    expect(bodyOf(event, 'QuestionnaireAnswer')).toEqual({
      questionnaire: 'https://dho.vendor.knutepunkt.test/fhir/Questionnaire/daglig-kols-skjema|2.1',
      status: 'completed',
      authoredAt: Date.parse(vkpFixtureTimes.answered),
      items: [
        { linkId: '1', text: 'Hvordan har du det i dag?', answers: ['Litt dårligere enn vanlig'] },
        { linkId: '2.1', text: 'Er du mer tungpustet enn vanlig?', answers: ['true'] },
        { linkId: '2.2', text: 'Hvor mange trapper klarer du?', answers: ['1'] },
        { linkId: '3', text: 'Kommentar', answers: ['Mer slim enn vanlig.'] },
      ],
    });
    expect(event).toMatchObject({ service: 'DHO', urgent: false });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.answered));
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it('reads items nested under an answer', () => {
    const response = aVkpQuestionnaireResponse();
    response.item = [
      {
        linkId: 'smerte',
        answer: [
          {
            valueBoolean: true,
            item: [{ linkId: 'smerte.styrke', answer: [{ valueDecimal: 6.5 }] }],
          },
        ],
      },
    ];

    expect(bodyOf(onlyEventOf(response), 'QuestionnaireAnswer').items).toEqual([
      { linkId: 'smerte', text: null, answers: ['true'] },
      { linkId: 'smerte.styrke', text: null, answers: ['6.5'] },
    ]);
  });

  it('fails on an item without a linkId', () => {
    const response = aVkpQuestionnaireResponse();
    response.item = [{ linkId: '', answer: [{ valueString: 'x' }] }];

    expect(errorOf(response)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'QuestionnaireResponse.item[0].linkId',
    });
  });

  it('fails on an authored time without a time zone', () => {
    const response = aVkpQuestionnaireResponse();
    response.authored = '2025-01-15T10:15:00';

    expect(errorOf(response)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: 'QuestionnaireResponse.authored',
    });
  });
});
