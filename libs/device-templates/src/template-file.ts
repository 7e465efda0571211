/**
 * A vendor mapping template's file (docs/vendor-templates.md, docs/adr/0012): where in a vendor's
 * own JSON the patient, the device, the time and the values are, and which kind of WelfareEvent
 * they become. This is the file's structure and its paths — what ingest (to key a document by its
 * patient) and the normalizer (to map it) both read. Whether its codes exist and its units
 * convert is the normalizer's check on top (apps/normalizer/src/domain/templates).
 */
import { z } from 'zod';
import { parseJsonPath, type JsonPath } from './json-path';

const pathText = z
  .string()
  .regex(/^[$@]/, 'a path starts with $ (the document) or @ (the current item)');

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A value: a path (required), a path with options, or a constant. */
const valueSchema = z.union([
  pathText,
  z
    .object({
      path: pathText,
      /** Vendor value (as text) → what the event gets; null: nothing (the field stays empty). */
      map: z.record(z.string(), scalar.nullable()).optional(),
      /** Absent is fine (the event field stays empty). */
      optional: z.boolean().optional(),
    })
    .strict(),
  z.object({ const: scalar }).strict(),
]);

const timeSchema = z.union([
  pathText,
  z
    .object({
      path: pathText,
      format: z.enum(['iso-8601', 'epoch-seconds', 'epoch-millis']).default('iso-8601'),
      optional: z.boolean().optional(),
    })
    .strict(),
]);

const identifierSchema = z.object({ system: valueSchema, value: valueSchema }).strict();

const codingSchema = z
  .object({ system: z.string().url(), code: z.string().min(1), display: z.string().optional() })
  .strict();

const quantitySchema = z.object({ value: valueSchema, unit: valueSchema }).strict();

/** Produce this event only when the path holds a value (e.g. a pulse the cuff may omit). */
const onlyIf = pathText.optional();

const medicationDispensingSchema = z
  .object({
    kind: z.literal('MedicationDispensing'),
    onlyIf,
    /** A code of vkp-medicationdispense-events-v090. */
    event: valueSchema,
    /** MedicationDispense.status: `completed`, `not-done`, … */
    status: valueSchema,
    statusReason: valueSchema.optional(),
    medication: valueSchema.optional(),
    plannedAt: timeSchema.optional(),
    dosageText: valueSchema.optional(),
  })
  .strict();

const alertSchema = z
  .object({
    kind: z.literal('Alert'),
    onlyIf,
    /** A code of vkp-alert-code-v090. */
    code: valueSchema,
    /** A code of vkp-severity-level-v090. */
    severity: valueSchema.optional(),
    status: valueSchema.optional(),
    detail: valueSchema.optional(),
  })
  .strict();

const measurementSchema = z
  .object({
    kind: z.literal('Measurement'),
    onlyIf,
    /** What is measured: LOINC, as the measurement rules know it. */
    code: codingSchema,
    status: valueSchema.optional(),
    value: quantitySchema.optional(),
    components: z
      .array(z.object({ code: codingSchema, value: quantitySchema }).strict())
      .optional(),
  })
  .strict();

const eventSchema = z.discriminatedUnion('kind', [
  medicationDispensingSchema,
  alertSchema,
  measurementSchema,
]);

export const deviceTemplateSchema = z
  .object({
    $schema: z.string().optional(),
    /** Lower-case words joined by `-`: the `{template}` of `POST /devices/{orgnr}/{template}`. */
    template: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    version: z.number().int().positive(),
    description: z.string().min(1),
    /** The vendor, as Device.vendor of every event. */
    vendor: z.string().min(1),
    /** An array in the document: one set of events per element, whose paths start with @. */
    each: pathText.optional(),
    patient: identifierSchema.optional(),
    device: z
      .object({
        identifier: identifierSchema.optional(),
        type: valueSchema.optional(),
        model: valueSchema.optional(),
      })
      .strict()
      .optional(),
    occurredAt: timeSchema,
    events: z.array(eventSchema).min(1),
  })
  .strict();

export type DeviceTemplateFile = z.infer<typeof deviceTemplateSchema>;
export type ValueSpec = z.infer<typeof valueSchema>;
export type TimeSpec = z.infer<typeof timeSchema>;
export type EventSpec = z.infer<typeof eventSchema>;
export type QuantitySpec = z.infer<typeof quantitySchema>;

/** A checked template: the file as written, with every path parsed. */
export interface DeviceTemplate {
  /** `<template>.v<version>`, as ingest names it in the envelope. */
  readonly ref: string;
  readonly file: DeviceTemplateFile;
  /** Every path of the file, parsed, by its text. */
  readonly paths: ReadonlyMap<string, JsonPath>;
}

export type TemplateLoad =
  | { readonly ok: true; readonly value: DeviceTemplate }
  | { readonly ok: false; readonly error: string };

export function templateRef(template: string, version: number): string {
  return `${template}.v${version}`;
}

/**
 * Checks a template file's structure and paths (`raw`, parsed JSON, named `fileName`); the error
 * lists every problem, each with where it is in the file.
 */
export function parseDeviceTemplate(raw: unknown, fileName: string): TemplateLoad {
  const parsed = deviceTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    return { ok: false, error: `${fileName}: ${problems.join('; ')}` };
  }
  const file = parsed.data;
  const problems: string[] = [];
  const ref = templateRef(file.template, file.version);
  if (fileName !== `${ref}.json`) {
    problems.push(`the file must be named ${ref}.json after its template and version`);
  }
  const paths = new Map<string, JsonPath>();
  for (const [where, source] of pathsOf(file)) {
    const path = parseJsonPath(source);
    if (!path.ok) {
      problems.push(`${where}: ${path.error}`);
      continue;
    }
    if (path.value.root === '@' && (file.each === undefined || where === 'each')) {
      problems.push(`${where}: "${source}" uses @ but the template has no "each" array`);
    }
    paths.set(source, path.value);
  }
  if (problems.length > 0) {
    return { ok: false, error: `${fileName}: ${problems.join('; ')}` };
  }
  return { ok: true, value: { ref, file, paths } };
}

/** Every path in the file with where it is written, for parsing once. */
function pathsOf(file: DeviceTemplateFile): [string, string][] {
  const found: [string, string][] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      if (/^[$@]/.test(value) && !where.endsWith('.const') && !/\.map\./.test(where)) {
        found.push([where, value]);
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, `${where}.${index}`);
      });
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key === '$schema' || key === 'description') continue;
        walk(item, where === '' ? key : `${where}.${key}`);
      }
    }
  };
  walk(file, '');
  return found;
}
