import type { AvroJson, AvroJsonObject } from './avro-json';
import { anAlert, aMeasurement } from './testing';
import { valueSchema } from './value-schemas';
import {
  tagWelfareEventBody,
  welfareEventBody,
  welfareEventKind,
  welfareEventKinds,
} from './welfare-event';

describe('WelfareEvent body helpers', () => {
  it('know exactly the branches of the body union, in order', () => {
    const fields = valueSchema('WelfareEvent')['fields'] as readonly AvroJsonObject[];
    const body = fields.find((field) => field['name'] === 'body');
    // Composed, so each branch is the inlined record definition (or a name if seen before).
    const branchNames = (body?.['type'] as readonly AvroJson[]).map((branch) => {
      const name = typeof branch === 'string' ? branch : (branch as AvroJsonObject)['name'];
      return typeof name === 'string' ? name : '';
    });

    expect(branchNames.map((name) => name.slice(name.lastIndexOf('.') + 1))).toEqual(
      welfareEventKinds,
    );
  });

  it('wrap a body as avsc represents the union and unwrap it with its kind', () => {
    const body = welfareEventBody('Measurement', aMeasurement());

    expect(body).toEqual({ 'no.knutepunkt.v1.Measurement': aMeasurement() });
    expect(welfareEventKind(body)).toBe('Measurement');
    expect(tagWelfareEventBody(body)).toEqual({ kind: 'Measurement', value: aMeasurement() });
  });

  it('narrow the value by kind', () => {
    const tagged = tagWelfareEventBody(welfareEventBody('Alert', anAlert()));

    const code = tagged.kind === 'Alert' ? tagged.value.code.code : undefined;

    expect(code).toBe('4.1');
  });

  it('refuse something that is not a body', () => {
    const notABody = { 'no.knutepunkt.v1.Unknown': {} } as unknown as Parameters<
      typeof welfareEventKind
    >[0];

    expect(() => welfareEventKind(notABody)).toThrow('Not a WelfareEvent body');
  });
});
