/**
 * Shared by the template unit tests: the shipped templates and their example documents, and a
 * device submission as ingest's envelope carries it (@knutepunkt/device-templates).
 */
import type { AcceptedSubmission, WelfareEvent } from '@knutepunkt/schemas';
import { anAcceptedSubmission, testOrgnr } from '@knutepunkt/schemas/testing';
import { loadNormalizerTemplates } from '../../device-templates/device-template-files';
import { testContext } from '../normalize.spec-helper';
import { normalizeAccepted, type NormalizeAcceptedContext } from '../normalize-accepted';
import type { NormalizeResult } from '../normalize-error';
import { deviceEnvelope } from '@knutepunkt/device-templates';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const shippedTemplates = loadNormalizerTemplates();

export const templateContext: NormalizeAcceptedContext = {
  ...testContext,
  templates: shippedTemplates,
  environment: 'test',
};

/** The example document shipped beside template `ref`, parsed (a fresh copy each call). */
export function exampleOf(ref: string): Record<string, unknown> {
  const path = join(__dirname, '..', '..', '..', 'templates', 'examples', `${ref}.example.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function deviceSubmission(
  ref: string,
  document: unknown,
  overrides: Partial<AcceptedSubmission> = {},
): AcceptedSubmission {
  const bytes = typeof document === 'string' ? document : JSON.stringify(document);
  return anAcceptedSubmission({
    resourceType: 'Bundle',
    fhirJson: deviceEnvelope(bytes, ref),
    orgnr: testOrgnr,
    patientKey: null,
    ...overrides,
  });
}

export function normalizeDevice(
  ref: string,
  document: unknown,
  context: NormalizeAcceptedContext = templateContext,
): NormalizeResult<readonly WelfareEvent[]> {
  return normalizeAccepted(deviceSubmission(ref, document), context);
}

export function deviceEventsOf(ref: string, document: unknown): readonly WelfareEvent[] {
  const result = normalizeDevice(ref, document);
  if (!result.ok) throw new Error(`Expected events, got ${JSON.stringify(result.error)}`);
  return result.value;
}
