import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeviceTemplate, type DeviceTemplate } from '../domain';

/**
 * Where the templates are: apps/normalizer/templates in the source tree. Built code runs from
 * dist/apps/normalizer/src/…, so the source tree's folder is tried after the one beside the
 * build (tools/build does not copy data files; docs/adr/0012-vendor-templates.md).
 */
export function deviceTemplatesDirectory(): string {
  const candidates = [
    join(__dirname, '..', '..', 'templates'),
    join(__dirname, '..', '..', '..', '..', '..', 'apps', 'normalizer', 'templates'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`no device template folder at ${candidates.join(' or ')}`);
  }
  return found;
}

/**
 * Every `<template>.v<version>.json` in `directory`, checked (device-template.ts). One bad file
 * stops the boot with every problem of every file: a template is never half-loaded.
 */
export function loadDeviceTemplateFiles(
  directory = deviceTemplatesDirectory(),
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
    const loaded = loadDeviceTemplate(raw, fileName);
    if (loaded.ok) templates.set(loaded.value.ref, loaded.value);
    else problems.push(loaded.error);
  }
  if (problems.length > 0) {
    throw new Error(`invalid device templates in ${directory}:\n${problems.join('\n')}`);
  }
  return templates;
}
