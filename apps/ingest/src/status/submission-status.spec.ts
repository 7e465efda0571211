import { submissionStatus } from './submission-status';

const submission = {
  submissionId: '6f1c1b5e-8d7a-4c1e-9a55-3a8f2a0b9c11',
  clientId: 'vendor-a',
  orgnr: '921234560',
  resourceType: 'Bundle',
  registeredAt: new Date('2026-11-28T10:00:00.000Z'),
};

describe('submissionStatus', () => {
  it('gives each stage reached its first time and null for the rest', () => {
    const status = submissionStatus(submission, [
      {
        submissionId: submission.submissionId,
        stage: 'normalized',
        at: new Date('2026-11-28T10:00:01.000Z'),
        reason: null,
        operationOutcomeCode: null,
      },
      {
        submissionId: submission.submissionId,
        stage: 'normalized',
        at: new Date('2026-11-28T10:00:00.500Z'),
        reason: null,
        operationOutcomeCode: null,
      },
    ]);
    expect(status).toMatchObject({
      registered: '2026-11-28T10:00:00.000Z',
      normalized: '2026-11-28T10:00:00.500Z',
      consented: null,
      journaled: null,
      failed: null,
      reason: null,
    });
  });

  it('explains a withheld or failed submission', () => {
    const status = submissionStatus(submission, [
      {
        submissionId: submission.submissionId,
        stage: 'withheld',
        at: new Date('2026-11-28T10:00:02.000Z'),
        reason: 'no registration',
        operationOutcomeCode: '1.3',
      },
    ]);
    expect(status).toMatchObject({
      withheld: '2026-11-28T10:00:02.000Z',
      reason: 'no registration',
      operationOutcomeCode: '1.3',
    });
  });
});
