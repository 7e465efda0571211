import { deviceEnvelope, deviceTemplateTagSystem, openDeviceEnvelope } from './device-envelope';

describe('the device envelope', () => {
  it('carries the exact vendor bytes in a Binary of a collection Bundle tagged with the template', () => {
    const vendorJson = '{ "sys": 132,\n "note": "ø" }';
    const envelope = JSON.parse(deviceEnvelope(vendorJson, 'tensio-bp-cuff.v1')) as {
      resourceType: string;
      type: string;
      meta: { tag: { system: string; code: string }[] };
      entry: { resource: { resourceType: string; contentType: string; data: string } }[];
    };
    expect(envelope).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(envelope.meta.tag).toEqual([
      { system: deviceTemplateTagSystem, code: 'tensio-bp-cuff.v1' },
    ]);
    const [entry] = envelope.entry;
    expect(entry?.resource).toMatchObject({
      resourceType: 'Binary',
      contentType: 'application/json',
    });
    expect(Buffer.from(entry?.resource.data ?? '', 'base64').toString('utf8')).toBe(vendorJson);
  });

  it('is the same text for the same bytes and template, so a resend is a repeat', () => {
    expect(deviceEnvelope('{"a":1}', 'x.v1')).toBe(deviceEnvelope('{"a":1}', 'x.v1'));
    expect(deviceEnvelope('{"a":1}', 'x.v1')).not.toBe(deviceEnvelope('{"a":1}', 'x.v2'));
  });

  it('opens again to the vendor document and the template version', () => {
    const vendorJson = '{"sys":132,"note":"ø"}';
    const opened = openDeviceEnvelope('Bundle', deviceEnvelope(vendorJson, 'tensio-bp-cuff.v1'));
    expect(opened).toMatchObject({
      kind: 'envelope',
      envelope: { ref: 'tensio-bp-cuff.v1', document: { sys: 132, note: 'ø' } },
    });
  });

  it('leaves ordinary FHIR alone and names a broken envelope', () => {
    expect(openDeviceEnvelope('Bundle', '{"resourceType":"Bundle","type":"message"}')).toEqual({
      kind: 'not-envelope',
    });
    const envelope = JSON.parse(deviceEnvelope('{}', 'x.v1')) as {
      entry: { resource: { data: string } }[];
    };
    const notJson = structuredClone(envelope);
    notJson.entry[0]!.resource.data = Buffer.from('{oops').toString('base64');
    expect(openDeviceEnvelope('Bundle', JSON.stringify(notJson))).toEqual({ kind: 'not-json' });
    const noBinary = { ...envelope, entry: [] };
    expect(openDeviceEnvelope('Bundle', JSON.stringify(noBinary))).toEqual({ kind: 'no-binary' });
  });
});
