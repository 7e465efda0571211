import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which vendor templates exist, so an unknown one is a 404 at once: the file names in the
 * normalizer's template folder (`<template>.v<version>.json`, apps/normalizer/templates). Ingest
 * reads only the names; the normalizer checks the content at its boot. docs/adr/0012 says why the
 * folder is shared data rather than code either app imports.
 */
export class DeviceTemplateCatalog {
  /** Latest version of each template, and every version, as `<template>.v<version>`. */
  private readonly latest = new Map<string, string>();
  private readonly all = new Set<string>();

  constructor(fileNames: readonly string[]) {
    const versions = new Map<string, number>();
    for (const fileName of fileNames) {
      const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.v([1-9][0-9]*)\.json$/.exec(fileName);
      if (match === null) continue;
      const [, template = '', version = ''] = match;
      this.all.add(`${template}.v${version}`);
      if (Number(version) > (versions.get(template) ?? 0)) versions.set(template, Number(version));
    }
    for (const [template, version] of versions)
      this.latest.set(template, `${template}.v${version}`);
  }

  /** `name` is a template (its latest version) or a pinned `<template>.v<version>`. */
  resolve(name: string): string | undefined {
    return this.latest.get(name) ?? (this.all.has(name) ? name : undefined);
  }

  names(): readonly string[] {
    return [...this.latest.keys()].sort();
  }

  static fromDirectory(directory = deviceTemplatesDirectory()): DeviceTemplateCatalog {
    return new DeviceTemplateCatalog(readdirSync(directory));
  }
}

/** apps/normalizer/templates from the source tree or from beside the build (dist/apps/…). */
export function deviceTemplatesDirectory(): string {
  const candidates = [
    join(__dirname, '..', '..', '..', 'normalizer', 'templates'),
    join(__dirname, '..', '..', '..', '..', '..', 'apps', 'normalizer', 'templates'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`no device template folder at ${candidates.join(' or ')}`);
  }
  return found;
}
