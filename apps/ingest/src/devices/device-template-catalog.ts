import {
  deviceTemplatesDirectory,
  loadDeviceTemplateFiles,
  type DeviceTemplate,
} from '@knutepunkt/device-templates';

/**
 * The vendor templates ingest knows (docs/adr/0012): an unknown one is a 404 at once, and a
 * known one says where its documents name the patient, so ingest keys the record by that
 * patient. Ingest checks the files' structure and paths; the normalizer checks their codes and
 * units at its own boot.
 */
export class DeviceTemplateCatalog {
  /** Latest version of each template, by template name. */
  private readonly latest = new Map<string, DeviceTemplate>();

  constructor(private readonly all: ReadonlyMap<string, DeviceTemplate>) {
    for (const template of all.values()) {
      const { template: name, version } = template.file;
      if (version > (this.latest.get(name)?.file.version ?? 0)) this.latest.set(name, template);
    }
  }

  /** `name` is a template (its latest version) or a pinned `<template>.v<version>`. */
  resolve(name: string): DeviceTemplate | undefined {
    return this.latest.get(name) ?? this.all.get(name);
  }

  names(): readonly string[] {
    return [...this.latest.keys()].sort();
  }

  static fromDirectory(directory = deviceTemplatesDirectory()): DeviceTemplateCatalog {
    return new DeviceTemplateCatalog(loadDeviceTemplateFiles(directory));
  }
}
