import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createPatientKeyDeriver } from '@knutepunkt/fhir';
import { tagWelfareEventBody } from '@knutepunkt/schemas';
import { loadDeviceTemplate, normalizeDeviceSubmission } from '../domain';

/**
 * `node -r @swc-node/register apps/normalizer/src/device-templates/try-template.ts
 * <template.vN.json> <document.json>`: checks a template file as the normalizer does at boot and
 * maps one vendor document with it, printing the WelfareEvents (or the failure with its JSONPath)
 * and exiting 1 on any error. No broker, no database: for writing a template
 * (docs/vendor-templates.md). Patient keys come from a throwaway secret; the environment is `test`.
 */
function main(): number {
  const [templateFile, documentFile] = process.argv.slice(2);
  if (templateFile === undefined || documentFile === undefined) {
    console.error('usage: try-template.ts <template.vN.json> <document.json>');
    return 2;
  }
  const loaded = loadDeviceTemplate(
    JSON.parse(readFileSync(templateFile, 'utf8')) as unknown,
    basename(templateFile),
  );
  if (!loaded.ok) {
    console.error(`template refused: ${loaded.error}`);
    return 1;
  }
  const text = readFileSync(documentFile, 'utf8');
  const deriver = createPatientKeyDeriver(`try-template ${randomUUID()} throwaway secret`);
  if (!deriver.ok) throw new Error(deriver.error.message);
  const result = normalizeDeviceSubmission(
    {
      submissionId: randomUUID(),
      receivedAt: Date.now(),
      clientId: 'try-template',
      sourceSystem: null,
      orgnr: '000000000',
      resourceType: 'Bundle',
      contentType: 'application/fhir+json',
      fhirJson: '',
      contentHash: '',
      idempotencyKey: null,
      requestId: null,
      patientKey: null,
      warnings: [],
    },
    { ref: loaded.value.ref, document: JSON.parse(text) as unknown, binaryJson: '{}' },
    {
      templates: new Map([[loaded.value.ref, loaded.value]]),
      environment: 'test',
      patientKey: (orgnr, identifier) => deriver.value({ orgnr, identifier }),
    },
  );
  if (!result.ok) {
    console.error(
      `failed: ${result.error.code} at ${result.error.expression ?? '(document)'}: ${result.error.message}`,
    );
    return 1;
  }
  for (const event of result.value) {
    const shown = { ...event, originalResources: undefined, body: tagWelfareEventBody(event.body) };
    console.log(JSON.stringify(shown, null, 2));
  }
  console.error(`${result.value.length} event(s) from template ${loaded.value.ref}`);
  return 0;
}

process.exitCode = main();
