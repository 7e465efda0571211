import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VendorExample, WelfareService } from './traffic';

const examplesDir = join(
  __dirname,
  '..',
  '..',
  '..',
  'apps',
  'normalizer',
  'templates',
  'examples',
);

/** Which welfare service each shipped template's device belongs to. */
const serviceOfTemplate: Readonly<Record<string, WelfareService>> = {
  'doseguard-event-log': 'MD',
  'nattro-bed-sensor': 'DT',
  'tensio-bp-cuff': 'DHO',
};

/**
 * The example document of every shipped vendor template (docs/vendor-templates.md), for the
 * simulated vendors that send their devices' own JSON instead of FHIR.
 */
export function vendorExamples(): VendorExample[] {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.example.json'))
    .flatMap((file) => {
      const template = file.replace(/\.v\d+\.example\.json$/, '');
      const service = serviceOfTemplate[template];
      const text = readFileSync(join(examplesDir, file), 'utf8');
      const examplePatient = /"(\d{11})"/.exec(text)?.[1];
      if (service === undefined || examplePatient === undefined) return [];
      return [{ template, service, document: JSON.parse(text) as unknown, examplePatient }];
    });
}
