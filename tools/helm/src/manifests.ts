import { parseAllDocuments } from 'yaml';

/** The part of every Kubernetes object the checks rely on; the rest is checked by the schemas. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKubernetesObject(value: unknown): value is KubernetesObject {
  return (
    isRecord(value) &&
    typeof value['apiVersion'] === 'string' &&
    typeof value['kind'] === 'string' &&
    isRecord(value['metadata']) &&
    typeof value['metadata']['name'] === 'string'
  );
}

/**
 * Parses `helm template` output into objects. A YAML error, or a document that is not a
 * Kubernetes object (no apiVersion, kind or metadata.name), is an error: a template that renders
 * garbage must fail, not vanish. Empty documents (a disabled template) are skipped.
 */
export function parseManifests(text: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const document of parseAllDocuments(text)) {
    const firstError = document.errors[0];
    if (firstError) throw new Error(`Rendered YAML does not parse: ${firstError.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isKubernetesObject(value)) {
      throw new Error(`Rendered document is not a Kubernetes object: ${document.toString()}`);
    }
    objects.push(value);
  }
  return objects;
}

/** `<kind>/<name>`, for messages. */
export function objectId(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** The objects of one kind, typed by the caller's view of that kind. */
export function ofKind<T>(objects: readonly KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as unknown as T[];
}
