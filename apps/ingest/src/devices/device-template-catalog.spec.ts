import { parseDeviceTemplate, type DeviceTemplate } from '@knutepunkt/device-templates';
import { DeviceTemplateCatalog } from './device-template-catalog';

function aTemplate(template: string, version: number): [string, DeviceTemplate] {
  const loaded = parseDeviceTemplate(
    {
      template,
      version,
      description: 'a scale',
      vendor: 'ACME',
      occurredAt: '$.at',
      events: [{ kind: 'Alert', code: { const: '4.2' } }],
    },
    `${template}.v${version}.json`,
  );
  if (!loaded.ok) throw new Error(loaded.error);
  return [loaded.value.ref, loaded.value];
}

describe('the device template catalog', () => {
  const catalog = new DeviceTemplateCatalog(
    new Map([
      aTemplate('tensio-bp-cuff', 1),
      aTemplate('tensio-bp-cuff', 2),
      aTemplate('nattro-bed-sensor', 1),
    ]),
  );

  it('resolves a template name to its latest version', () => {
    expect(catalog.resolve('tensio-bp-cuff')?.ref).toBe('tensio-bp-cuff.v2');
    expect(catalog.resolve('nattro-bed-sensor')?.ref).toBe('nattro-bed-sensor.v1');
  });

  it('resolves a pinned version that exists, and nothing else', () => {
    expect(catalog.resolve('tensio-bp-cuff.v1')?.ref).toBe('tensio-bp-cuff.v1');
    expect(catalog.resolve('tensio-bp-cuff.v3')).toBeUndefined();
    expect(catalog.resolve('doseguard-event-log')).toBeUndefined();
  });

  it('lists the template names', () => {
    expect(catalog.names()).toEqual(['nattro-bed-sensor', 'tensio-bp-cuff']);
  });

  it('reads the shipped template folder', () => {
    expect(DeviceTemplateCatalog.fromDirectory().names()).toEqual([
      'doseguard-event-log',
      'nattro-bed-sensor',
      'tensio-bp-cuff',
    ]);
  });
});
