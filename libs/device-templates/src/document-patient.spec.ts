import { documentDevice, documentPatient } from './document-patient';
import { parseDeviceTemplate, type DeviceTemplate } from './template-file';

const fodselsnummer = 'urn:oid:2.16.578.1.12.4.1.4.1';

function aTemplate(fields: Record<string, unknown>): DeviceTemplate {
  const loaded = parseDeviceTemplate(
    {
      template: 'acme-scale',
      version: 1,
      description: 'ACME scale',
      vendor: 'ACME',
      occurredAt: '$.at',
      events: [{ kind: 'Alert', code: { const: '4.2' } }],
      ...fields,
    },
    'acme-scale.v1.json',
  );
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
}

describe('the patient a vendor document names, for keying it', () => {
  const byPath = aTemplate({
    patient: { system: { const: fodselsnummer }, value: '$.client.nin' },
  });

  it('reads the identifier the template points at', () => {
    expect(documentPatient(byPath, { client: { nin: '02818000726' } })).toEqual({
      value: { system: fodselsnummer, value: '02818000726' },
      path: '$.client.nin',
    });
  });

  it('reads a system from the document and a number as text', () => {
    const template = aTemplate({ patient: { system: '$.idType', value: '$.id' } });
    expect(documentPatient(template, { idType: 'urn:epj:acme', id: 4711 })?.value).toEqual({
      system: 'urn:epj:acme',
      value: '4711',
    });
  });

  it('gives nothing when the document lacks it, or holds something else there', () => {
    expect(documentPatient(byPath, {})).toBeUndefined();
    expect(documentPatient(byPath, { client: { nin: '  ' } })).toBeUndefined();
    expect(documentPatient(byPath, { client: { nin: { deep: 1 } } })).toBeUndefined();
  });

  it('gives nothing for a template without a patient, or with one per item', () => {
    expect(documentPatient(aTemplate({}), { client: { nin: '02818000726' } })).toBeUndefined();
    const perItem = aTemplate({
      each: '$.readings',
      patient: { system: { const: fodselsnummer }, value: '@.nin' },
    });
    expect(documentPatient(perItem, { readings: [{ nin: '02818000726' }] })).toBeUndefined();
  });
});

describe('the device a vendor document names, for keying it when it names no patient', () => {
  const sensor = aTemplate({
    device: { identifier: { system: { const: 'urn:nattro:sensor-id' }, value: '$.sensor.id' } },
  });

  it('reads the identifier the template points at', () => {
    expect(documentDevice(sensor, { sensor: { id: 'NS-88213' } }, 'urn:fallback')?.value).toEqual({
      system: 'urn:nattro:sensor-id',
      value: 'NS-88213',
    });
  });

  it('gives a bare serial the fallback system', () => {
    const bare = aTemplate({ device: { identifier: { system: '$.idSystem', value: '$.serial' } } });
    expect(documentDevice(bare, { serial: 'X1' }, 'urn:fallback')?.value).toEqual({
      system: 'urn:fallback',
      value: 'X1',
    });
  });

  it('gives nothing without a device identifier, or with one per item', () => {
    expect(documentDevice(sensor, {}, 'urn:fallback')).toBeUndefined();
    expect(
      documentDevice(aTemplate({}), { sensor: { id: 'NS-1' } }, 'urn:fallback'),
    ).toBeUndefined();
  });
});
