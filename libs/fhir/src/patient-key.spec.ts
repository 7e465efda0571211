import { syntheticIdentityNumber } from './testing';
import {
  createPatientKeyDeriver,
  minimumPatientKeySecretBytes,
  patientKeyMessage,
  subjectKey,
  unscopedDeviceIdentifierSystem,
  type PatientKeyDeriver,
  type PatientKeyInput,
} from './patient-key';

const secret = 'knutepunkt-test-secret-0123456789abcdef';
const fnr = 'urn:oid:2.16.578.1.12.4.1.4.1';

function deriver(
  secretValue: string | Uint8Array = secret,
  encoding?: 'hex' | 'base64url',
): PatientKeyDeriver {
  const result = createPatientKeyDeriver(secretValue, encoding);
  if (!result.ok) {
    throw new Error(result.error.message);
  }
  return result.value;
}

const input: PatientKeyInput = {
  orgnr: '974760673',
  identifier: { system: fnr, value: '02850097219' },
};

describe('patient key', () => {
  it('is HMAC-SHA-256 over the JSON array encoding (known answer, computed independently)', () => {
    // Python: hmac.new(secret, json.dumps([...], separators=(',', ':')), sha256)
    expect(patientKeyMessage(input)).toBe(
      '["knutepunkt/patient-key/v1","974760673","urn:oid:2.16.578.1.12.4.1.4.1","02850097219"]',
    );
    expect(deriver()(input)).toBe(
      '495381f06e05b681815f3ccb80bb955fe9321e3124e405a5e654be5cebb82300',
    );
    expect(deriver(secret, 'base64url')(input)).toBe('SVOB8G4FtoGBXzzLgLuVX-kyHjEk5AWl5lS-XOu4IwA');
  });

  it('is the same for the same input, also from a byte secret', () => {
    expect(deriver()(input)).toBe(deriver()({ ...input, identifier: { ...input.identifier } }));
    expect(deriver(new TextEncoder().encode(secret))(input)).toBe(deriver()(input));
  });

  it.each([
    ['orgnr', { ...input, orgnr: '312229544' }],
    [
      'system',
      { ...input, identifier: { ...input.identifier, system: 'urn:oid:2.16.578.1.12.4.1.4.2' } },
    ],
    ['value', { ...input, identifier: { ...input.identifier, value: '15838710007' } }],
  ])('changes with the %s', (_, other: PatientKeyInput) => {
    expect(deriver()(other)).not.toBe(deriver()(input));
  });

  it('changes with the secret', () => {
    expect(deriver(`${secret}-other`)(input)).not.toBe(deriver()(input));
  });

  it('cannot be made to collide by moving characters between fields', () => {
    const a: PatientKeyInput = { orgnr: 'a|b', identifier: { system: 'c', value: 'd' } };
    const b: PatientKeyInput = { orgnr: 'a', identifier: { system: 'b|c', value: 'd' } };
    const c: PatientKeyInput = { orgnr: 'a","b', identifier: { system: 'c', value: 'd' } };
    const d: PatientKeyInput = { orgnr: 'a', identifier: { system: 'b","c', value: 'd' } };

    expect(new Set([a, b, c, d].map(patientKeyMessage)).size).toBe(4);
    expect(new Set([a, b, c, d].map(deriver())).size).toBe(4);
  });

  it('never contains the identity number, in either encoding', () => {
    for (const encoding of ['hex', 'base64url'] as const) {
      const derive = deriver(secret, encoding);
      for (let seed = 0; seed < 200; seed += 1) {
        const value = syntheticIdentityNumber(seed);
        const key = derive({ ...input, identifier: { system: fnr, value } });

        expect(key).toMatch(encoding === 'hex' ? /^[0-9a-f]{64}$/ : /^[A-Za-z0-9_-]{43}$/);
        expect(key).not.toContain(value);
      }
    }
  });

  it(`refuses a secret shorter than ${minimumPatientKeySecretBytes} bytes`, () => {
    expect(createPatientKeyDeriver('x'.repeat(31))).toEqual({
      ok: false,
      error: {
        code: 'FHIR.PATIENT_KEY.SECRET_TOO_SHORT',
        message: 'The patient-key secret must have at least 32 bytes.',
      },
    });
    expect(createPatientKeyDeriver('x'.repeat(32)).ok).toBe(true);
    // Counted in UTF-8 bytes: 16 × "ø" is 32 bytes.
    expect(createPatientKeyDeriver('ø'.repeat(16)).ok).toBe(true);
  });
});

describe('the Kafka key of a record about one subject', () => {
  const derive = deriver();
  const device = { system: unscopedDeviceIdentifierSystem, value: 'NS-88213' };

  it('is the patient key when the patient is known, whatever device the record names', () => {
    expect(
      subjectKey(derive, { orgnr: input.orgnr, patientKey: 'abc', device, ownId: 'sub-1' }),
    ).toBe('abc');
  });

  it("is derived from the device when only a device is named: the same for all of a device's records", () => {
    const key = subjectKey(derive, {
      orgnr: input.orgnr,
      patientKey: null,
      device,
      ownId: 'sub-1',
    });
    expect(key).toBe(derive({ orgnr: input.orgnr, identifier: device }));
    expect(key).not.toContain('NS-88213');
    expect(
      subjectKey(derive, { orgnr: input.orgnr, patientKey: undefined, device, ownId: 'sub-2' }),
    ).toBe(key);
  });

  it('is the record’s own id when it names neither', () => {
    expect(
      subjectKey(derive, { orgnr: input.orgnr, patientKey: null, device: null, ownId: 'sub-1' }),
    ).toBe('sub-1');
  });
});
