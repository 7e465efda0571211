import { submissionResourceTypes } from '@knutepunkt/fhir';
import { capabilityStatement } from './capability-statement';

describe('capabilityStatement', () => {
  const statement = capabilityStatement(new Date('2026-11-28T00:00:00Z'));

  it('lists every submission type with create as its only interaction', () => {
    const resources = statement.rest?.[0]?.resource ?? [];
    expect(resources.map((r) => r.type)).toEqual([...submissionResourceTypes]);
    for (const resource of resources) {
      expect(resource.interaction?.map((i) => i.code)).toEqual(['create']);
    }
  });

  it('claims no profile it does not validate against', () => {
    expect(JSON.stringify(statement)).not.toContain('supportedProfile');
  });

  it('names FHIR R4, JSON and OAuth', () => {
    expect(statement).toMatchObject({
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'application/json'],
    });
    expect(statement.rest?.[0]?.security?.service?.[0]?.coding?.[0]?.code).toBe('OAuth');
  });
});
