import { readToolVersions } from './helm';
import { KubernetesSchemas } from './kubernetes-schemas';
import type { KubernetesObject } from './manifests';

const deployment = (containerFields: Record<string, unknown>): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'example' },
  spec: {
    selector: { matchLabels: { app: 'example' } },
    template: {
      metadata: { labels: { app: 'example' } },
      spec: { containers: [{ name: 'example', image: 'example:1', ...containerFields }] },
    },
  },
});

describe('KubernetesSchemas', () => {
  const [oldest] = readToolVersions().kubernetesSchemaVersions;
  const schemas = KubernetesSchemas.load(oldest ?? 'v1.29.0');

  it('accepts a valid Deployment', () => {
    expect(
      schemas.validate(
        deployment({ readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } } }),
      ),
    ).toEqual([]);
  });

  it('rejects an unknown field, such as a misspelt probe', () => {
    expect(schemas.validate(deployment({ readinesProbe: {} }))).toEqual([
      expect.objectContaining({
        object: 'Deployment/example',
        path: '/spec/template/spec/containers/0',
        message: expect.stringContaining('readinesProbe') as unknown,
      }),
    ]);
  });

  it('rejects a field of the wrong type', () => {
    const violations = schemas.validate(deployment({ ports: [{ containerPort: 'http' }] }));
    expect(violations.map((violation) => violation.path)).toContain(
      '/spec/template/spec/containers/0/ports/0/containerPort',
    );
  });

  it('rejects a kind it has no schema for instead of letting it through', () => {
    const unknown: KubernetesObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    };
    expect(schemas.validate(unknown)).toEqual([
      {
        object: 'Widget/w',
        path: '',
        message: `no schema for example.com/v1/Widget in Kubernetes ${schemas.kubernetesVersion}`,
      },
    ]);
  });

  it('validates the custom resources the chart renders with their operators’ models', () => {
    const scaledObject: KubernetesObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 's' },
      spec: { triggers: [] },
    };
    expect(schemas.validate(scaledObject)).toEqual([
      expect.objectContaining({
        object: 'ScaledObject/s',
        message: expect.stringContaining('scaleTargetRef') as unknown,
      }),
    ]);
  });
});
