import { checkIdentityNumber } from './identity';
import { vkpOutcome } from './code-systems';
import { informationalOutcome, issueFromError, operationOutcome } from './operation-outcome';

const vkpOutcomeSystem = 'http://ehelse.no/fhir/CodeSystem/vkp-operation-outcome-v090';

describe('operationOutcome', () => {
  it('carries severity, issue type, diagnostics, expression and the VKP code with its display', () => {
    expect(
      operationOutcome([
        {
          severity: 'error',
          code: 'value',
          diagnostics: 'The check digits of the national identity number are wrong.',
          expression: 'MedicationDispense.subject.identifier.value',
          vkpCode: vkpOutcome.invalidSsn,
        },
      ]),
    ).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'value',
          diagnostics: 'The check digits of the national identity number are wrong.',
          expression: ['MedicationDispense.subject.identifier.value'],
          details: {
            coding: [
              { system: vkpOutcomeSystem, code: '2.1', display: 'ugyldig personidentifikator' },
            ],
          },
        },
      ],
    });
  });

  it('keeps the issues in order and leaves out what an issue does not have', () => {
    const outcome = operationOutcome([
      {
        severity: 'warning',
        code: 'structure',
        diagnostics: 'Repaired: a single object where an array belongs.',
        expression: ['Bundle.entry', 'Bundle.entry[0]'],
      },
      {
        severity: 'error',
        code: 'forbidden',
        diagnostics: 'Not allowed.',
        vkpCode: vkpOutcome.notAllowed,
      },
      { severity: 'error', code: 'throttled', diagnostics: 'Too many requests.' },
    ]);

    expect(outcome.issue.map((issue) => Object.keys(issue).sort())).toEqual([
      ['code', 'diagnostics', 'expression', 'severity'],
      ['code', 'details', 'diagnostics', 'severity'],
      ['code', 'diagnostics', 'severity'],
    ]);
    expect(outcome.issue[0]?.expression).toEqual(['Bundle.entry', 'Bundle.entry[0]']);
    expect(outcome.issue[1]?.details?.coding?.[0]).toEqual({
      system: vkpOutcomeSystem,
      code: '1.2',
      display: 'ikke tillatt',
    });
  });

  it('makes the informational outcome of a success', () => {
    expect(informationalOutcome('Accepted.')).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'Accepted.' }],
    });
  });
});

describe('issueFromError', () => {
  it('turns a library error into an issue: message → diagnostics, expression kept', () => {
    const result = checkIdentityNumber('02850097219', {
      environment: 'production',
      expression: 'Patient.identifier[0].value',
    });
    if (result.ok) {
      throw new Error('a synthetic number must be refused in production');
    }

    const issue = issueFromError(result.error, {
      code: 'business-rule',
      vkpCode: vkpOutcome.invalidSsn,
    });

    expect(issue).toEqual({
      severity: 'error',
      code: 'business-rule',
      diagnostics: result.error.message,
      expression: 'Patient.identifier[0].value',
      vkpCode: '2.1',
    });
    expect(JSON.stringify(operationOutcome([issue]))).not.toContain('02850097219');
  });

  it('leaves out the expression and VKP code when there are none', () => {
    expect(
      issueFromError(
        { code: 'FHIR.ORGNR.FORMAT', message: 'Bad.' },
        { code: 'value', severity: 'warning' },
      ),
    ).toEqual({
      severity: 'warning',
      code: 'value',
      diagnostics: 'Bad.',
    });
  });
});
