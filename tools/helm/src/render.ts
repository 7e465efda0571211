import { helmTemplate, type TemplateOptions } from './helm';
import { parseManifests, type KubernetesObject } from './manifests';

/** The values files in helm/knutepunkt/ci/, one per deployment shape. */
export const ciValuesFiles = [
  'ci/minimal-values.yaml',
  'ci/strimzi-values.yaml',
  'ci/managed-values.yaml',
] as const;
export type CiValuesFile = (typeof ciValuesFiles)[number];

/** Renders the chart and parses the result; throws with Helm's error output when it fails. */
export function renderChart(options: TemplateOptions = {}): KubernetesObject[] {
  const result = helmTemplate(options);
  if (result.status !== 0) {
    throw new Error(`helm template failed (${String(result.status)}):\n${result.stderr}`);
  }
  return parseManifests(result.stdout);
}
