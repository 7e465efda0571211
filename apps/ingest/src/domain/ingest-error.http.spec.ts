import { ingestErrorAnswer } from './ingest-error.http';

describe('ingestErrorAnswer', () => {
  it('answers every problem as its own issue, each kind with its own issue type and code', () => {
    const answer = ingestErrorAnswer({
      code: 'INGEST.PROFILE_VIOLATION',
      message: 'MedicationDispense.category is required.',
      expression: 'MedicationDispense.category',
      more: [
        {
          message: 'MedicationDispense.performer is required.',
          expression: 'MedicationDispense.performer',
        },
      ],
      also: [
        {
          code: 'INGEST.UNKNOWN_CODE',
          message: 'Not a code.',
          expression: 'MedicationDispense.category.coding[0].code',
        },
      ],
    });
    expect(answer.status).toBe(422);
    expect(
      answer.body.issue.map((issue) => [issue.code, issue.details?.text, issue.expression?.[0]]),
    ).toEqual([
      ['invariant', 'INGEST.PROFILE_VIOLATION', 'MedicationDispense.category'],
      ['invariant', 'INGEST.PROFILE_VIOLATION', 'MedicationDispense.performer'],
      ['code-invalid', 'INGEST.UNKNOWN_CODE', 'MedicationDispense.category.coding[0].code'],
    ]);
    expect(answer.body.issue.map((issue) => issue.details?.coding?.[0]?.code)).toEqual([
      '2',
      '2',
      '2',
    ]);
  });
});
