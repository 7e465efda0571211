import { parseManifests } from './manifests';

describe('parseManifests', () => {
  it('returns each rendered object and skips empty documents', () => {
    const text =
      '---\n# Source: a.yaml\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n';
    expect(parseManifests(text)).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } },
    ]);
  });

  it('fails on YAML that does not parse', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: [Service\n')).toThrow(/does not parse/);
  });

  it('fails on a document that is not a Kubernetes object', () => {
    expect(() => parseManifests('kind: Service\nmetadata: {}\n')).toThrow(
      /not a Kubernetes object/,
    );
  });
});
