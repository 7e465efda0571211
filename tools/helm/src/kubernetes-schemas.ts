import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ensureToolsScript, repoRoot } from './helm';
import { objectId, type KubernetesObject } from './manifests';

export interface SchemaViolation {
  /** `<kind>/<name>` of the object. */
  readonly object: string;
  /** JSON pointer into the object, `''` for the object itself. */
  readonly path: string;
  readonly message: string;
}

export const schemaRoot = path.join(repoRoot, '.local/kubernetes-json-schema');

/** The `$id` the strict schemas of kubernetes-validate give their shared definitions. */
const definitionsId = 'https://kubernetes.io/api/_definitions.json';

interface GroupVersionKind {
  readonly group?: string;
  readonly version: string;
  readonly kind: string;
}

interface DefinitionsDocument {
  readonly $defs: Readonly<
    Record<string, { readonly 'x-kubernetes-group-version-kind'?: readonly GroupVersionKind[] }>
  >;
}

function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/**
 * The custom resources the chart renders, validated by the kubernetes-models packages (generated
 * from the operators' CRDs). Those validators check types, enums and required fields but allow
 * unknown fields, unlike the strict built-in schemas; the chart tests assert the fields that matter.
 */
const customResources: ReadonlyMap<string, (object: KubernetesObject) => void> = new Map([
  [
    'keda.sh/v1alpha1/ScaledObject',
    (object) => {
      new ScaledObject(
        object as unknown as ConstructorParameters<typeof ScaledObject>[0],
      ).validate();
    },
  ],
  [
    'keda.sh/v1alpha1/TriggerAuthentication',
    (object) => {
      new TriggerAuthentication(
        object as unknown as ConstructorParameters<typeof TriggerAuthentication>[0],
      ).validate();
    },
  ],
  [
    'monitoring.coreos.com/v1/ServiceMonitor',
    (object) => {
      new ServiceMonitor(
        object as unknown as ConstructorParameters<typeof ServiceMonitor>[0],
      ).validate();
    },
  ],
  [
    'monitoring.coreos.com/v1/PrometheusRule',
    (object) => {
      new PrometheusRule(
        object as unknown as ConstructorParameters<typeof PrometheusRule>[0],
      ).validate();
    },
  ],
]);

/**
 * Validates objects against one Kubernetes version's API schemas, in strict form: an unknown
 * field (a typo such as `readinesProbe`) is a violation, as is a kind with no schema at all.
 * The schemas come from the PyPI package kubernetes-validate, installed by ensure-tools.sh.
 */
export class KubernetesSchemas {
  private readonly ajv = new Ajv2020({
    // The schemas carry x-kubernetes-* keywords and formats (int32, int-or-string…) that the
    // API server does not check either.
    strict: false,
    validateFormats: false,
    allErrors: true,
  });
  private readonly definitionByKind = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(readonly kubernetesVersion: string) {
    const file = path.join(schemaRoot, `${kubernetesVersion}-local-strict`, '_definitions.json');
    if (!existsSync(file)) {
      throw new Error(
        `Kubernetes ${kubernetesVersion} schemas are missing at ${path.relative(repoRoot, file)}: ` +
          `run \`bash ${ensureToolsScript}\`.`,
      );
    }
    const definitions = JSON.parse(readFileSync(file, 'utf8')) as DefinitionsDocument;
    this.ajv.addSchema(definitions, definitionsId);
    for (const [name, definition] of Object.entries(definitions.$defs)) {
      for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
        this.definitionByKind.set(`${apiVersionOf(gvk)}/${gvk.kind}`, name);
      }
    }
  }

  static load(kubernetesVersion: string): KubernetesSchemas {
    return new KubernetesSchemas(kubernetesVersion);
  }

  /** Every violation of one object; empty when it is valid. */
  validate(object: KubernetesObject): SchemaViolation[] {
    const key = `${object.apiVersion}/${object.kind}`;
    const id = objectId(object);
    const custom = customResources.get(key);
    if (custom) {
      try {
        custom(object);
        return [];
      } catch (error) {
        return [
          { object: id, path: '', message: error instanceof Error ? error.message : String(error) },
        ];
      }
    }
    const validator = this.validatorFor(key);
    if (!validator) {
      return [
        {
          object: id,
          path: '',
          message: `no schema for ${key} in Kubernetes ${this.kubernetesVersion}`,
        },
      ];
    }
    if (validator(object)) return [];
    return (validator.errors ?? []).map((error) => ({
      object: id,
      path: error.instancePath,
      message: `${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
    }));
  }

  private validatorFor(key: string): ValidateFunction | undefined {
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const definition = this.definitionByKind.get(key);
    if (!definition) return undefined;
    const validator = this.ajv.compile({ $ref: `${definitionsId}#/$defs/${definition}` });
    this.compiled.set(key, validator);
    return validator;
  }
}
