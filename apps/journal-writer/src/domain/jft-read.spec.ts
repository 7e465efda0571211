import { jftRequest } from './jft-read';

describe('jftRequest', () => {
  it("reads the municipality from the token's orgnr_parent", () => {
    expect(jftRequest('Composition', '921234562')).toEqual({
      ok: true,
      value: { orgnr: '921234562' },
    });
  });

  it("serves only Composition: JFT's Bundle and MedicationDispense point there instead", () => {
    for (const type of ['Bundle', 'MedicationDispense', 'composition']) {
      const result = jftRequest(type, '921234562');
      expect(result.ok ? 'ok' : result.error.code).toBe('EPJ.UNSUPPORTED_TYPE');
    }
  });

  it('refuses a token without orgnr_parent', () => {
    const result = jftRequest('Composition', undefined);
    expect(result.ok ? 'ok' : result.error.code).toBe('EPJ.NO_ORGNR_PARENT');
  });
});
