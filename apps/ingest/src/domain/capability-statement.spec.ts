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

  it('claims the VKP profiles submissions are held to, and none where VKP has none', () => {
    const resources = statement.rest?.[0]?.resource ?? [];
    const of = (type: string) => resources.find((r) => r.type === type);
    expect(of('MedicationDispense')).toMatchObject({
      profile: 'http://ehelse.no/fhir/StructureDefinition/vkp-MedicationDispense-v090',
      supportedProfile: ['http://ehelse.no/fhir/StructureDefinition/vkp-MedicationDispense-v090'],
    });
    expect(of('Encounter')?.supportedProfile).toEqual([
      'http://ehelse.no/fhir/StructureDefinition/vkp-Encounter-v090',
      'http://ehelse.no/fhir/StructureDefinition/vkp-digital-Encounter-v090',
    ]);
    expect(of('Observation')?.supportedProfile).toHaveLength(6);
    for (const type of ['Flag', 'Bundle']) {
      expect(of(type)).not.toHaveProperty('profile');
      expect(of(type)).not.toHaveProperty('supportedProfile');
    }
  });

  it('names FHIR R4, JSON and OAuth', () => {
    expect(statement).toMatchObject({
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'application/json'],
    });
    expect(statement.rest?.[0]?.security?.service?.[0]?.coding?.[0]?.code).toBe('OAuth');
  });
});
