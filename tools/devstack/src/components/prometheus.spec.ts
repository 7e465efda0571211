import { localServiceTargets } from '../local-services';
import { prometheusComponent } from './prometheus';

describe('the prometheus component', () => {
  it('scrapes the services where npm start runs them', () => {
    expect(localServiceTargets()['journal-writer']).toBe('http://127.0.0.1:3002');
  });

  it('is optional and says where its web UI is', () => {
    const component = prometheusComponent({ port: 19999 });
    expect(component.optional).toBe(true);
    expect(component.describe()).toContain('http://127.0.0.1:19999');
  });
});
