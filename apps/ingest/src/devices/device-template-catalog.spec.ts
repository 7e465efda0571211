import { DeviceTemplateCatalog } from './device-template-catalog';

describe('the device template catalog', () => {
  const catalog = new DeviceTemplateCatalog([
    'tensio-bp-cuff.v1.json',
    'tensio-bp-cuff.v2.json',
    'nattro-bed-sensor.v1.json',
    'examples',
    'README.md',
    'Bad_Name.v1.json',
  ]);

  it('resolves a template name to its latest version', () => {
    expect(catalog.resolve('tensio-bp-cuff')).toBe('tensio-bp-cuff.v2');
    expect(catalog.resolve('nattro-bed-sensor')).toBe('nattro-bed-sensor.v1');
  });

  it('resolves a pinned version that exists, and nothing else', () => {
    expect(catalog.resolve('tensio-bp-cuff.v1')).toBe('tensio-bp-cuff.v1');
    expect(catalog.resolve('tensio-bp-cuff.v3')).toBeUndefined();
    expect(catalog.resolve('doseguard-event-log')).toBeUndefined();
    expect(catalog.resolve('Bad_Name')).toBeUndefined();
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
