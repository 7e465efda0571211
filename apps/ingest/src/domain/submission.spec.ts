import { aVkpAlarmBundle, aVkpMedicationDispense } from '@knutepunkt/fhir/testing';
import { checkVkp, maxJsonDepth, parseSubmission } from './submission';

const observation = JSON.stringify({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'puls' },
});

describe('parseSubmission', () => {
  it('accepts a resource of the type in the URL and hashes the bytes as received', () => {
    const result = parseSubmission('Observation', observation);
    expect(result.ok && result.value.type).toBe('Observation');
    expect(result.ok && result.value.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['Patient', observation, 'INGEST.UNKNOWN_TYPE'],
    ['Observation', '{"resourceType": "Observation",', 'INGEST.MALFORMED_JSON'],
    ['Observation', '[1, 2]', 'INGEST.NOT_FHIR'],
    ['Observation', '{"status": "final"}', 'INGEST.NOT_FHIR'],
    ['Flag', observation, 'INGEST.RESOURCE_TYPE_MISMATCH'],
    ['Bundle', '{"resourceType": "Bundle", "type": "searchset"}', 'INGEST.BUNDLE_TYPE'],
    ['Bundle', '{"resourceType": "Bundle"}', 'INGEST.BUNDLE_TYPE'],
  ])('refuses %s with %s', (type, body, code) => {
    const result = parseSubmission(type, body);
    expect(result.ok ? 'accepted' : result.error.code).toBe(code);
  });

  it.each(['message', 'document', 'transaction', 'collection'])(
    'accepts a %s Bundle',
    (bundleType) => {
      expect(
        parseSubmission('Bundle', JSON.stringify({ resourceType: 'Bundle', type: bundleType })).ok,
      ).toBe(true);
    },
  );

  it('refuses JSON nested deeper than the limit, and accepts it at the limit', () => {
    const nest = (levels: number): unknown =>
      levels <= 1 ? { leaf: true } : { child: nest(levels - 1) };
    const atLimit = { resourceType: 'Observation', extension: nest(maxJsonDepth - 1) };
    const tooDeep = { resourceType: 'Observation', extension: nest(maxJsonDepth) };
    expect(parseSubmission('Observation', JSON.stringify(atLimit)).ok).toBe(true);
    const refused = parseSubmission('Observation', JSON.stringify(tooDeep));
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('INGEST.TOO_DEEP');
  });

  it('refuses a name given twice in one object, saying where', () => {
    const body = '{"resourceType":"Observation","code":{"text":"puls","text":"blodtrykk"}}';
    const refused = parseSubmission('Observation', body);
    expect(refused.ok ? 'accepted' : refused.error).toMatchObject({
      code: 'INGEST.DUPLICATE_KEY',
      expression: 'Observation.code',
    });
  });

  it('measures a hostile depth without overflowing the stack', () => {
    const body = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const result = parseSubmission('Observation', body);
    expect(result.ok ? 'accepted' : result.error.code).toMatch(/INGEST\.(TOO_DEEP|MALFORMED_JSON)/);
  });
});

describe('checkVkp', () => {
  const json = (resource: unknown) =>
    JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;

  it('passes a submission that keeps the VKP rules', () => {
    expect(checkVkp(json(aVkpAlarmBundle()), []).ok).toBe(true);
  });

  it('refuses every broken rule at once, grouped by code, each with its FHIRPath', () => {
    const alarm = json(aVkpAlarmBundle({ alertCode: '4.99' }));
    const entries = alarm['entry'] as { resource: Record<string, unknown> }[];
    const [composition, issue] = entries.map((e) => e.resource);
    Reflect.deleteProperty(composition ?? {}, 'category');
    if (issue) issue['author'] = { reference: 'Device/nowhere' };
    const result = checkVkp(alarm, []);
    expect(result.ok ? 'accepted' : result.error).toMatchObject({
      code: 'INGEST.UNRESOLVED_REFERENCE',
      expression: 'Bundle.entry[1].resource.author.reference',
      more: [],
      also: [
        { code: 'INGEST.PROFILE_VIOLATION', expression: 'Bundle.entry[0].resource.category' },
        { code: 'INGEST.UNKNOWN_CODE', expression: 'Bundle.entry[1].resource.code.coding[0].code' },
      ],
    });
  });

  it("takes the municipality's own systems where a profile closes the patient identifier", () => {
    const epj = 'https://epj.knutepunkt.test/fhir/sid/lopenummer';
    const dispense = json(aVkpMedicationDispense({ patient: { system: epj, value: '10042' } }));
    const refused = checkVkp(dispense, []);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('INGEST.PROFILE_VIOLATION');
    expect(checkVkp(dispense, [epj]).ok).toBe(true);
  });
});
