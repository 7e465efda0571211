/**
 * A vendor mapping template (docs/vendor-templates.md): a versioned data file that says where in
 * a vendor's own JSON the patient, the device, the time and the values are, and which kind of
 * WelfareEvent they become. Loaded and checked once, at boot: a template that does not parse,
 * names a path outside the supported JSONPath subset, maps to a VKP code that does not exist or
 * to a unit no measurement rule can convert stops the normalizer from starting, so a bad
 * template never meets a vendor's data.
 */
import { z } from 'zod';
import { vkpAlertCodes, vkpMedicationDispenseEvents, vkpSeverityLevels } from '@knutepunkt/fhir';
import { panelRuleFor, quantityRuleFor } from '../measurement-rules';
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
 * Checks a template file's content (`raw`, parsed JSON) named `fileName`; the error lists every
 * problem, each with where it is in the file.
 */
export function loadDeviceTemplate(raw: unknown, fileName: string): TemplateLoad {
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
  file.events.forEach((event, index) => problems.push(...codeProblems(event, `events.${index}`)));
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

/** The values a spec can produce without a document: its constant or its map's values. */
function producible(spec: ValueSpec | undefined): readonly (string | number | boolean)[] {
  if (spec === undefined || typeof spec === 'string') return [];
  return 'const' in spec
    ? [spec.const]
    : Object.values(spec.map ?? {}).filter((value) => value !== null);
}

function codeProblems(event: EventSpec, where: string): string[] {
  const problems: string[] = [];
  // A path without a map passes the vendor's value through: it is checked when an event is mapped.
  const check = (
    spec: ValueSpec | undefined,
    field: string,
    known: { has: (code: string) => boolean; url: string },
  ) => {
    for (const code of producible(spec)) {
      if (!known.has(String(code))) {
        problems.push(`${where}.${field}: ${String(code)} is not a code of ${known.url}`);
      }
    }
  };
  const checkUnits = (
    quantity: { code: { system: string; code: string }; value: QuantitySpec },
    field: string,
  ) => {
    const rule = quantityRuleFor([quantity.code]);
    for (const unit of producible(quantity.value.unit)) {
      if (rule !== undefined && !Object.hasOwn(rule.units, String(unit))) {
        problems.push(
          `${where}.${field}.unit: ${rule.name} cannot be converted from "${String(unit)}"`,
        );
      }
    }
  };
  switch (event.kind) {
    case 'MedicationDispensing':
      check(event.event, 'event', vkpMedicationDispenseEvents);
      break;
    case 'Alert':
      check(event.code, 'code', vkpAlertCodes);
      check(event.severity, 'severity', vkpSeverityLevels);
      break;
    case 'Measurement': {
      if (event.value === undefined && (event.components ?? []).length === 0) {
        problems.push(`${where}: a measurement needs a "value" or "components"`);
      }
      if (event.value !== undefined) checkUnits({ code: event.code, value: event.value }, 'value');
      (event.components ?? []).forEach((component, index) => {
        checkUnits(component, `components.${index}`);
      });
      const panel = panelRuleFor([event.code]);
      for (const required of panel?.requiredComponents ?? []) {
        const present = (event.components ?? []).some(
          (component) => quantityRuleFor([component.code])?.name === required,
        );
        if (!present) {
          problems.push(
            `${where}.components: a ${panel?.name ?? ''} needs a ${required} component`,
          );
        }
      }
      break;
    }
  }
  return problems;
}
