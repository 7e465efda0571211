import { identifierSystems, syntheticFodselsnummer } from '@knutepunkt/schemas/testing';
import { checkNationalIdentifier } from './national-identifier';

describe("the contract library's synthetic fixtures", () => {
  it.each([0, 1, 27, 28, 500, 9999])(
    'fødselsnummer %i passes as synthetic in test and is refused in production',
    (sequence) => {
      const identifier = {
        system: identifierSystems.fodselsnummer,
        value: syntheticFodselsnummer(sequence),
      };
      const inTest = checkNationalIdentifier(identifier, { environment: 'test' });
      expect(inTest.ok && inTest.value.classification).toBe('synthetic');
      const inProduction = checkNationalIdentifier(identifier, { environment: 'production' });
      expect(inProduction.ok ? 'accepted' : inProduction.error.code).toBe(
        'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION',
      );
    },
  );
});
