import { checkVendorJson, deviceEnvelope, deviceTemplateTagSystem } from './device-envelope';

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
});

describe('checking vendor JSON', () => {
  it('takes a JSON object', () => {
    expect(checkVendorJson('{"events":[{"type":"DOSE_TAKEN"}]}')).toEqual({ ok: true });
  });

  it.each([
    ['{"events": [', 'malformed'],
    ['', 'malformed'],
    ['[1, 2]', 'not-object'],
    ['"text"', 'not-object'],
    [`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'too-deep'],
    ['{"events":[{"type":"DOSE_TAKEN","type":"DOSE_MISSED"}]}', 'duplicate-key'],
  ])('refuses %j as %s', (body, reason) => {
    expect(checkVendorJson(body)).toMatchObject({ ok: false, reason });
  });
});
