import { syntheticFodselsnummer } from '@knutepunkt/schemas/testing';
import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpMedicationDispense,
} from '@knutepunkt/fhir/testing';
import {
  checkIdentityNumbers,
  checkPatientIdentifierSystems,
  nationalIdentifiersIn,
} from './identity-numbers';

const fnr = 'urn:oid:2.16.578.1.12.4.1.4.1';
const synthetic = syntheticFodselsnummer(3);

/** A number with valid check digits and a real birth month (01-12): "real" by its shape. */
function realShaped(): string {
  const weights1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  const weights2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const check = (digits: string, weights: number[]) => {
    const r = 11 - (weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11);
    return r === 11 ? 0 : r;
  };
  for (let individual = 100; individual < 500; individual++) {
    const first9 = `150385${individual}`;
    const k1 = check(first9, weights1);
    if (k1 === 10) continue;
    const k2 = check(`${first9}${k1}`, weights2);
    if (k2 !== 10) return `${first9}${k1}${k2}`;
  }
  throw new Error('no number');
}

const dispense = (value: string) => ({
  resourceType: 'MedicationDispense',
  contained: [
    {
      resourceType: 'Patient',
      id: 'p',
      identifier: [
        { system: 'urn:other', value: 'x' },
        { system: fnr, value },
      ],
    },
  ],
  subject: { reference: '#p' },
});

describe('nationalIdentifiersIn', () => {
  it('finds national identifiers wherever they are, with their FHIRPath', () => {
    expect(nationalIdentifiersIn(dispense(synthetic))).toEqual([
      {
        system: fnr,
        value: synthetic,
        expression: 'MedicationDispense.contained[0].identifier[1]',
      },
    ]);
  });
});

describe('checkIdentityNumbers', () => {
  it('accepts synthetic numbers in test and refuses them in production', () => {
    expect(checkIdentityNumbers(dispense(synthetic), 'test').ok).toBe(true);
    const production = checkIdentityNumbers(dispense(synthetic), 'production');
    expect(production.ok ? 'accepted' : production.error).toMatchObject({
      code: 'INGEST.INVALID_IDENTITY_NUMBER',
      expression: 'MedicationDispense.contained[0].identifier[1]',
    });
  });

  it('refuses a real number in test and a bad check digit anywhere, never echoing the number', () => {
    const real = realShaped();
    const inTest = checkIdentityNumbers(dispense(real), 'test');
    expect(inTest.ok).toBe(false);
    expect(JSON.stringify(inTest)).not.toContain(real);
    const broken = `${synthetic.slice(0, 10)}${(Number(synthetic[10]) + 1) % 10}`;
    expect(checkIdentityNumbers(dispense(broken), 'test').ok).toBe(false);
    expect(checkIdentityNumbers(dispense(real), 'production').ok).toBe(true);
  });
});

describe('checkPatientIdentifierSystems', () => {
  const epj = 'https://epj.knutepunkt.test/fhir/sid/lopenummer';
  const json = (resource: unknown) =>
    JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;

  it('takes national identity numbers, and reports none as municipal', () => {
    expect(checkPatientIdentifierSystems(json(aVkpAlarmBundle()), [])).toEqual({
      ok: true,
      value: [],
    });
  });

  it("takes the municipality's own systems in a reference and in a Patient, and returns them", () => {
    const patient = { system: epj, value: '10042' };
    const alarm = json(aVkpAlarmBundle({ patient }));
    const result = checkPatientIdentifierSystems(alarm, [epj]);
    expect(result.ok && result.value.map((i) => i.expression)).toEqual([
      'Bundle.entry[0].resource.subject.identifier',
      'Bundle.entry[1].resource.patient.identifier',
      'Bundle.entry[2].resource.subject.identifier',
      'Bundle.entry[4].resource.identifier[0]',
    ]);
  });

  it('refuses every patient identifier in another system, naming each by FHIRPath', () => {
    const alarm = json(aVkpAlarmBundle({ patient: { system: epj, value: '10042' } }));
    const result = checkPatientIdentifierSystems(alarm, ['https://other.epj.test/id']);
    expect(result.ok ? 'accepted' : result.error).toMatchObject({
      code: 'INGEST.UNKNOWN_IDENTIFIER_SYSTEM',
      expression: 'Bundle.entry[0].resource.subject.identifier.system',
      more: [
        { expression: 'Bundle.entry[1].resource.patient.identifier.system' },
        { expression: 'Bundle.entry[2].resource.subject.identifier.system' },
        { expression: 'Bundle.entry[4].resource.identifier' },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('10042');
  });

  it('leaves references that say they are not a Patient alone (a device subject)', () => {
    const reading = json(aVkpBloodPressureObservation());
    reading['subject'] = {
      type: 'Device',
      identifier: { system: 'urn:vendor:serial', value: 'x' },
    };
    expect(checkPatientIdentifierSystems(reading, []).ok).toBe(true);
    const dispense = json(aVkpMedicationDispense());
    dispense['subject'] = { identifier: { system: 'urn:vendor:serial', value: 'x' } };
    expect(checkPatientIdentifierSystems(dispense, []).ok).toBe(false);
  });
});
