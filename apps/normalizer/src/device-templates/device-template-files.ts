import {
  loadDeviceTemplateFiles,
  deviceTemplatesDirectory,
  type DeviceTemplate,
} from '@knutepunkt/device-templates';
import { loadDeviceTemplate } from '../domain';

/**
 * The normalizer's templates: every file of the template folder, checked for structure and
 * paths and for the normalizer's codes and units (domain/templates/device-template.ts). One bad
 * file stops the boot.
 */
export function loadNormalizerTemplates(
  directory = deviceTemplatesDirectory(),
): ReadonlyMap<string, DeviceTemplate> {
  return loadDeviceTemplateFiles(directory, loadDeviceTemplate);
}
