import { dedupeKey } from './dedupe-key';
import { parseSubmission, type ParsedSubmission } from './submission';

function parsed(resource: Record<string, unknown>): ParsedSubmission {
  const result = parseSubmission(String(resource['resourceType']), JSON.stringify(resource));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const key = (resource: Record<string, unknown>, idempotencyKey?: string) => {
  const result = dedupeKey(parsed(resource), idempotencyKey);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
};

describe('dedupeKey', () => {
  const dispense = {
    resourceType: 'MedicationDispense',
    id: 'md-1',
    identifier: [{ system: 'urn:vendor', value: 'e-77' }],
  };

  it('prefers the Idempotency-Key header over everything in the body', () => {
    expect(key(dispense, 'abc-1')).toBe(key({ ...dispense, id: 'other' }, 'abc-1'));
    expect(key(dispense, 'abc-1')).not.toBe(key(dispense, 'abc-2'));
  });

  it('falls back to the business identifier, then the resource id, then the bytes', () => {
    expect(key(dispense)).toBe(key({ ...dispense, id: 'another-id' }));
    expect(key(dispense)).toMatch(/^MedicationDispense\.identifier:/);
    expect(key({ resourceType: 'Flag', id: 'f-1' })).toMatch(/^Flag\.id:/);
    expect(key({ resourceType: 'Flag', status: 'active' })).toMatch(/^content:/);
    expect(key({ resourceType: 'Flag', status: 'active' })).not.toBe(
      key({ resourceType: 'Flag', status: 'inactive' }),
    );
  });

  it('uses Bundle.identifier for bundles, which is a single object in FHIR', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'message',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' },
    };
    expect(key(bundle)).toMatch(/^Bundle\.identifier:/);
  });

  it('never stores the vendor string itself', () => {
    expect(key(dispense, 'contains-01017012345')).not.toContain('01017012345');
  });

  it('refuses an Idempotency-Key with spaces or control characters', () => {
    const result = dedupeKey(parsed(dispense), 'has space');
    expect(result.ok ? 'accepted' : result.error.code).toBe('INGEST.BAD_IDEMPOTENCY_KEY');
  });
});
