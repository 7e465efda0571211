import { loadDeviceTemplate } from './device-template';
import { shippedTemplates } from './templates.spec-helper';

const valid = {
  template: 'acme-scale',
  version: 2,
  description: 'ACME scale',
  vendor: 'ACME',
  patient: { system: { const: 'urn:oid:2.16.578.1.12.4.1.4.1' }, value: '$.nin' },
  occurredAt: '$.at',
  events: [
    {
      kind: 'Measurement',
      code: { system: 'http://loinc.org', code: '29463-7' },
      value: { value: '$.kg', unit: { const: 'kg' } },
    },
  ],
};

function problemsOf(raw: unknown, fileName = 'acme-scale.v2.json'): string {
  const loaded = loadDeviceTemplate(raw, fileName);
  if (loaded.ok) throw new Error('expected the template to be refused');
  return loaded.error;
}

describe('loading a device template', () => {
  it('loads the three shipped templates', () => {
    expect([...shippedTemplates.keys()].sort()).toEqual([
      'doseguard-event-log.v1',
      'nattro-bed-sensor.v1',
      'tensio-bp-cuff.v1',
    ]);
  });

  it('takes a valid template and parses its paths', () => {
    const loaded = loadDeviceTemplate(valid, 'acme-scale.v2.json');
    expect(loaded.ok).toBe(true);
    expect(loaded.ok && loaded.value.ref).toBe('acme-scale.v2');
    expect(loaded.ok && [...loaded.value.paths.keys()].sort()).toEqual(['$.at', '$.kg', '$.nin']);
  });

  it('wants the file named after its template and version', () => {
    expect(problemsOf(valid, 'acme-scale.json')).toMatch(/named acme-scale\.v2\.json/);
  });

  it('refuses unknown fields and kinds (zod), naming where', () => {
    expect(problemsOf({ ...valid, extra: 1 })).toMatch(/Unrecognized key/);
    expect(problemsOf({ ...valid, events: [{ kind: 'Note' }] })).toMatch(/events\.0\.kind/);
  });

  it('refuses a path outside the subset, and @ without each', () => {
    expect(problemsOf({ ...valid, occurredAt: '$..at' })).toMatch(/recursive descent/);
    expect(problemsOf({ ...valid, occurredAt: '@.at' })).toMatch(/no "each"/);
  });

  it('refuses codes that are not in the VKP code systems', () => {
    const alert = {
      ...valid,
      events: [{ kind: 'Alert', code: { path: '$.type', map: { FALL: '4.99' } } }],
    };
    expect(problemsOf(alert)).toMatch(/4\.99 is not a code of .*vkp-alert-code/);
    const dose = {
      ...valid,
      events: [{ kind: 'MedicationDispensing', event: { const: '9' }, status: { const: 'x' } }],
    };
    expect(problemsOf(dose)).toMatch(/9 is not a code of .*medicationdispense/);
  });

  it('refuses a unit the measurement rules cannot convert, and a panel without its components', () => {
    const stones = {
      ...valid,
      events: [
        {
          kind: 'Measurement',
          code: { system: 'http://loinc.org', code: '29463-7' },
          value: { value: '$.kg', unit: { const: 'stone' } },
        },
      ],
    };
    expect(problemsOf(stones)).toMatch(/Body weight cannot be converted from "stone"/);
    const panel = {
      ...valid,
      events: [
        {
          kind: 'Measurement',
          code: { system: 'http://loinc.org', code: '85354-9' },
          components: [
            {
              code: { system: 'http://loinc.org', code: '8480-6' },
              value: { value: '$.sys', unit: { const: 'mm[Hg]' } },
            },
          ],
        },
      ],
    };
    expect(problemsOf(panel)).toMatch(/needs a Diastolic blood pressure component/);
  });
});
