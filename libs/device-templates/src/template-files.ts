import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeviceTemplate, type DeviceTemplate, type TemplateLoad } from './template-file';

/**
 * The template folder, apps/normalizer/templates: data both ingest and the normalizer read
 * (docs/adr/0012). `DEVICE_TEMPLATES_DIR` names it where the tree is laid out otherwise (an
 * image); else it is found from this file in the source tree (libs/device-templates/src) or in
 * the build (dist/libs/device-templates/src), beside the build or in the source tree next to it.
 */
export function deviceTemplatesDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['DEVICE_TEMPLATES_DIR'];
  const candidates =
    configured !== undefined && configured !== ''
      ? [configured]
      : [
          join(__dirname, '..', '..', '..', 'apps', 'normalizer', 'templates'),
          join(__dirname, '..', '..', '..', '..', 'apps', 'normalizer', 'templates'),
        ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`no device template folder at ${candidates.join(' or ')}`);
  }
  return found;
}

/**
 * Every `<template>.v<version>.json` in `directory`, checked by `load` (the structure and paths;
 * the normalizer adds its code and unit checks). One bad file throws with every problem of
 * every file: a template is never half-loaded.
 */
export function loadDeviceTemplateFiles(
  directory = deviceTemplatesDirectory(),
  load: (raw: unknown, fileName: string) => TemplateLoad = parseDeviceTemplate,
): ReadonlyMap<string, DeviceTemplate> {
  const templates = new Map<string, DeviceTemplate>();
  const problems: string[] = [];
  for (const fileName of readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(directory, fileName), 'utf8'));
    } catch (error) {
      problems.push(
        `${fileName}: not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    const loaded = load(raw, fileName);
    if (loaded.ok) templates.set(loaded.value.ref, loaded.value);
    else problems.push(loaded.error);
  }
  if (problems.length > 0) {
    throw new Error(`invalid device templates in ${directory}:\n${problems.join('\n')}`);
  }
  return templates;
}
