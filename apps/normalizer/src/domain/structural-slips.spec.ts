import { aVkpBloodPressureObservation } from '@knutepunkt/fhir/testing';
import { onlyEventOf } from './normalize.spec-helper';

// `fhirJson` travels as the vendor sent it; ingest accepted it after repairing such slips, and
// the normalizer's readers take single values for lists and ignore blank strings.
describe('a submission with the structural slips ingest repairs', () => {
  it('normalizes to the same event as its well-formed twin', () => {
    const wellFormed = aVkpBloodPressureObservation();
    const slipped = JSON.parse(JSON.stringify(wellFormed)) as Record<string, unknown>;
    const code = slipped['code'] as Record<string, unknown>;
    code['coding'] = (code['coding'] as unknown[])[0];
    slipped['category'] = (slipped['category'] as unknown[])[0];
    slipped['id'] = '';
    const fromSlipped = onlyEventOf(slipped as { resourceType: string });
    const fromWellFormed = onlyEventOf({ ...wellFormed, id: undefined } as {
      resourceType: string;
    });
    expect(fromSlipped.body).toEqual(fromWellFormed.body);
  });
});
