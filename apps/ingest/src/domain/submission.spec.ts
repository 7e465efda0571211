import { maxJsonDepth, parseSubmission } from './submission';

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

  it('measures a hostile depth without overflowing the stack', () => {
    const body = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const result = parseSubmission('Observation', body);
    expect(result.ok ? 'accepted' : result.error.code).toMatch(/INGEST\.(TOO_DEEP|MALFORMED_JSON)/);
  });
});
