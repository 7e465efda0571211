import { localApps } from '@knutepunkt/platform';
import { LOCAL_SERVICE_PORTS, localServiceTargets, prometheusComponent } from './prometheus';

describe('the prometheus component', () => {
  it('scrapes the services where npm start runs them (tools/platform localApps)', () => {
    expect(LOCAL_SERVICE_PORTS).toEqual(
      Object.fromEntries(localApps.map((app) => [app.name, app.port])),
    );
    expect(localServiceTargets()['journal-writer']).toBe('http://127.0.0.1:3002');
  });

  it('is optional and says where its web UI is', () => {
    const component = prometheusComponent({ port: 19999 });
    expect(component.optional).toBe(true);
    expect(component.describe()).toContain('http://127.0.0.1:19999');
  });
});
