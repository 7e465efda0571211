/**
 * A vendor document → WelfareEvents, by its template (device-template.ts). The events pass the
 * same rules as FHIR input: measurements the measurement rules' units, conversions and
 * plausible ranges; the service from service-rules.ts; the lane from urgency-rules.ts; the
 * patient's national identity number its checksum and the environment rule.
 *
 * Every failure names the JSONPath in the vendor's document that failed (`$.events[2].ts`), so
 * the `failed` status tells the vendor what to fix.
 */
import {
  checkNationalIdentifier,
  isNationalIdentitySystem,
  vkpAlertCodes,
  vkpMedicationDispenseEvents,
  vkpSeverityLevels,
  type Environment,
} from '@knutepunkt/fhir';
import {
  type AcceptedSubmission,
  type CodeableConcept,
  type Coding,
  type Device,
  type Identifier,
  type MeasurementComponent,
  type Quantity,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import { eventIdOf } from '../event-id';
import { wrapBody } from '../normalize-submission';
import { parseDateTime } from '../fhir-json';
import type { MappedEvent } from '../mapped-event';
import {
  converted,
  panelRuleFor,
  quantityRuleFor,
  ucumCodeBySpelling,
  type QuantityRule,
} from '../measurement-rules';
import {
  failWith,
  mapAll,
  succeed,
  type NormalizeError,
  type NormalizeResult,
} from '../normalize-error';
import { serviceRuleFor } from '../service-rules';
import { urgencyOf } from '../urgency-rules';
import { systems, unscopedDeviceIdentifierSystem } from '../vkp-systems';
import {
  pathOf,
  TemplateReader,
  type DeviceEnvelope,
  type DeviceTemplate,
  type EventSpec,
  type PathScope,
  type QuantitySpec,
  type TemplateReadProblem,
  type TimeSpec,
  type ValueSpec,
} from '@knutepunkt/device-templates';

export interface DeviceTemplateContext {
  /** The templates this normalizer has, by `<template>.v<version>`. */
  readonly templates: ReadonlyMap<string, DeviceTemplate>;
  /** Which national identity numbers are acceptable (synthetic ones only outside production). */
  readonly environment: Environment;
  readonly patientKey: (orgnr: string, identifier: Identifier) => string;
}

/** Statuses under which the dose reached the patient (as map-medication-dispense.ts). */
const handedOverStatuses: readonly string[] = ['completed', 'in-progress'];

/** What the reader needs of a VKP code system (libs/fhir's VkpCodeSystem). */
interface CodeSystem {
  readonly url: string;
  has(code: string): boolean;
  lookup(code: string): { readonly display?: string | undefined } | undefined;
}

export function normalizeDeviceSubmission(
  submission: AcceptedSubmission,
  envelope: DeviceEnvelope,
  context: DeviceTemplateContext,
): NormalizeResult<readonly WelfareEvent[]> {
  const template = context.templates.get(envelope.ref);
  if (template === undefined) {
    return failWith(
      'NORMALIZE.UNKNOWN_TEMPLATE',
      `This normalizer has no device template ${envelope.ref}.`,
    );
  }
  const reader = new VkpTemplateReader(template, envelope.document);
  const items = reader.items();
  if (!items.ok) return items;
  const original = {
    resourceType: 'Binary',
    id: null,
    fullUrl: null,
    json: envelope.binaryJson,
  };
  const events: WelfareEvent[] = [];
  for (const item of items.value) {
    const scope: PathScope = { document: envelope.document, item };
    const shared = sharedFacts(reader, scope, submission, context);
    if (!shared.ok) return shared;
    for (const [index, spec] of template.file.events.entries()) {
      if (spec.onlyIf !== undefined && !reader.present(spec.onlyIf, scope)) continue;
      const mapped = mapEvent(reader, spec, scope);
      if (!mapped.ok) return mapped;
      const { body, classifiers, severity, triage } = mapped.value;
      const rule = serviceRuleFor(body.kind, classifiers);
      if (rule === undefined) {
        return failWith(
          'NORMALIZE.UNSUPPORTED_CONTENT',
          `No rule says which service a ${body.kind} with ${classifiers.map((c) => `${c.system}|${c.code}`).join(', ')} belongs to.`,
          item?.path ?? '$',
        );
      }
      events.push({
        eventId: eventIdOf(submission.submissionId, `${item?.path ?? '$'}#${index}`),
        submissionId: submission.submissionId,
        occurredAt: mapped.value.occurredAt ?? shared.value.occurredAt,
        receivedAt: submission.receivedAt,
        orgnr: submission.orgnr,
        service: rule.service,
        patient: shared.value.patient,
        device: shared.value.device,
        severity,
        triage,
        urgent: urgencyOf({ kind: body.kind, classifiers, severity, triage }) !== null,
        body: wrapBody(body),
        originalResources: [original],
        sourceSystem: submission.sourceSystem,
        clientId: submission.clientId,
      });
    }
  }
  if (events.length === 0) {
    return failWith(
      'NORMALIZE.NO_EVENTS',
      `The document holds nothing template ${template.ref} makes an event of.`,
      template.file.each ?? '$',
    );
  }
  return succeed(events);
}

interface SharedFacts {
  readonly occurredAt: number;
  readonly patient: WelfareEvent['patient'];
  readonly device: Device | null;
}

/** Patient, device and time: the same for every event of one item. */
function sharedFacts(
  reader: VkpTemplateReader,
  scope: PathScope,
  submission: AcceptedSubmission,
  context: DeviceTemplateContext,
): NormalizeResult<SharedFacts> {
  const file = reader.template.file;
  const occurredAt = reader.time(file.occurredAt, scope);
  if (!occurredAt.ok) return occurredAt;
  let patient: WelfareEvent['patient'] = null;
  if (file.patient !== undefined) {
    const identifier = reader.identifier(file.patient, scope);
    if (!identifier.ok) return identifier;
    if (identifier.value !== undefined) {
      const { value: found, path } = identifier.value;
      if (isNationalIdentitySystem(found.system)) {
        const checked = checkNationalIdentifier(
          { system: found.system, value: found.value },
          {
            environment: context.environment,
            expression: path,
          },
        );
        if (!checked.ok) {
          return failWith(
            'NORMALIZE.INVALID_PATIENT_IDENTIFIER',
            `${checked.error.message} (${checked.error.code})`,
            path,
          );
        }
      }
      patient = { identifier: found, patientKey: context.patientKey(submission.orgnr, found) };
    }
  }
  let device: Device | null = null;
  if (file.device !== undefined) {
    const identifier =
      file.device.identifier === undefined
        ? succeed(undefined)
        : reader.identifier(file.device.identifier, scope, unscopedDeviceIdentifierSystem);
    if (!identifier.ok) return identifier;
    const type = reader.optionalText(file.device.type, scope);
    if (!type.ok) return type;
    const model = reader.optionalText(file.device.model, scope);
    if (!model.ok) return model;
    device = {
      id: null,
      identifier: identifier.value?.value ?? null,
      type: type.value === undefined ? null : { codings: [], text: type.value },
      vendor: file.vendor,
      model: model.value ?? null,
    };
  }
  if (patient === null && (device?.identifier ?? null) === null) {
    return failWith(
      'NORMALIZE.NO_PATIENT',
      `The document names neither a patient identifier nor a device identifier (template ${reader.template.ref}).`,
      scope.item?.path ?? '$',
    );
  }
  return succeed({ occurredAt: occurredAt.value ?? submission.receivedAt, patient, device });
}

function mapEvent(
  reader: VkpTemplateReader,
  spec: EventSpec,
  scope: PathScope,
): NormalizeResult<MappedEvent> {
  switch (spec.kind) {
    case 'MedicationDispensing':
      return mapMedication(reader, spec, scope);
    case 'Alert':
      return mapAlert(reader, spec, scope);
    case 'Measurement':
      return mapMeasurement(reader, spec, scope);
  }
}

function mapMedication(
  reader: VkpTemplateReader,
  spec: Extract<EventSpec, { kind: 'MedicationDispensing' }>,
  scope: PathScope,
): NormalizeResult<MappedEvent> {
  const event = reader.code(spec.event, scope, vkpMedicationDispenseEvents);
  if (!event.ok) return event;
  const status = reader.text(spec.status, scope);
  if (!status.ok) return status;
  const reason = reader.optionalText(spec.statusReason, scope);
  if (!reason.ok) return reason;
  const medication = reader.optionalText(spec.medication, scope);
  if (!medication.ok) return medication;
  const plannedAt =
    spec.plannedAt === undefined ? succeed(undefined) : reader.time(spec.plannedAt, scope);
  if (!plannedAt.ok) return plannedAt;
  const dosageText = reader.optionalText(spec.dosageText, scope);
  if (!dosageText.ok) return dosageText;
  const occurredAt = reader.time(reader.template.file.occurredAt, scope);
  if (!occurredAt.ok) return occurredAt;
  const handedOver = handedOverStatuses.includes(status.value.value);
  return succeed({
    body: {
      kind: 'MedicationDispensing',
      value: {
        event: event.value,
        status: status.value.value,
        statusReason: concept(reason.value),
        medication: concept(medication.value),
        plannedAt: plannedAt.value ?? null,
        handedOverAt: handedOver ? (occurredAt.value ?? null) : null,
        dosageText: dosageText.value ?? null,
      },
    },
    occurredAt: occurredAt.value,
    severity: null,
    triage: null,
    classifiers: [event.value],
  });
}

function mapAlert(
  reader: VkpTemplateReader,
  spec: Extract<EventSpec, { kind: 'Alert' }>,
  scope: PathScope,
): NormalizeResult<MappedEvent> {
  const code = reader.code(spec.code, scope, vkpAlertCodes);
  if (!code.ok) return code;
  const severity =
    spec.severity === undefined
      ? succeed(null)
      : reader.code(spec.severity, scope, vkpSeverityLevels, true);
  if (!severity.ok) return severity;
  const status = reader.optionalText(spec.status, scope);
  if (!status.ok) return status;
  const detail = reader.optionalText(spec.detail, scope);
  if (!detail.ok) return detail;
  return succeed({
    body: {
      kind: 'Alert',
      value: {
        code: code.value,
        sourceResourceType: 'Binary',
        status: status.value ?? null,
        detail: detail.value ?? null,
        eventCode: null,
        text: null,
      },
    },
    occurredAt: undefined,
    severity: severity.value,
    triage: null,
    classifiers: [code.value],
  });
}

function mapMeasurement(
  reader: VkpTemplateReader,
  spec: Extract<EventSpec, { kind: 'Measurement' }>,
  scope: PathScope,
): NormalizeResult<MappedEvent> {
  const rule = quantityRuleFor([spec.code]);
  const panel = panelRuleFor([spec.code]);
  const status =
    spec.status === undefined ? succeed('final') : reader.optionalText(spec.status, scope);
  if (!status.ok) return status;
  const value = spec.value === undefined ? succeed(null) : reader.quantity(spec.value, scope, rule);
  if (!value.ok) return value;
  const components = mapAll(spec.components ?? [], (component) => {
    const componentRule = quantityRuleFor([component.code]);
    const quantity = reader.quantity(component.value, scope, componentRule);
    if (!quantity.ok) return quantity;
    return succeed({
      component: {
        code: measurementCode(component.code, componentRule?.loinc),
        value: quantity.value.quantity,
        valueText: null,
      } satisfies MeasurementComponent,
      rule: componentRule,
      path: quantity.value.path,
    });
  });
  if (!components.ok) return components;
  for (const [greaterName, smallerName] of panel?.ordered ?? []) {
    const greater = components.value.find((mapped) => mapped.rule?.name === greaterName);
    const smaller = components.value.find((mapped) => mapped.rule?.name === smallerName);
    const greaterValue = greater?.component.value.value;
    const smallerValue = smaller?.component.value.value;
    if (
      greater !== undefined &&
      greaterValue !== undefined &&
      smallerValue !== undefined &&
      greaterValue <= smallerValue
    ) {
      return failWith(
        'NORMALIZE.IMPLAUSIBLE_VALUE',
        `${greaterName} ${greaterValue} must be above ${smallerName.toLowerCase()} ${smallerValue}.`,
        greater.path,
      );
    }
  }
  const code = measurementCode(spec.code, rule?.loinc ?? panel?.loinc);
  return succeed({
    body: {
      kind: 'Measurement',
      value: {
        code,
        status: status.value ?? 'final',
        value: value.value?.quantity ?? null,
        valueText: null,
        components: components.value.map((mapped) => mapped.component),
      },
    },
    occurredAt: undefined,
    severity: null,
    triage: null,
    classifiers: [code],
  });
}

function measurementCode(
  coding: { readonly system: string; readonly code: string; readonly display?: string | undefined },
  known: { readonly code: string; readonly display: string } | undefined,
): Coding {
  const display =
    coding.display ??
    (coding.system === systems.loinc && known?.code === coding.code ? known.display : null);
  return { system: coding.system, code: coding.code, display };
}

function concept(text: string | undefined): CodeableConcept | null {
  return text === undefined ? null : { codings: [], text };
}

const ucumSpellings: ReadonlyMap<string, string> = new Map(Object.entries(ucumCodeBySpelling));

/** The failures of reading a document are the normalizer's own, with their VKP codes. */
function reportProblem(
  problem: TemplateReadProblem,
  message: string,
  path: string,
): NormalizeError {
  return failWith(`NORMALIZE.${problem}`, message, path).error;
}

/** The template reader with what only the normalizer knows: VKP codes, time formats, units. */
class VkpTemplateReader extends TemplateReader<NormalizeError> {
  constructor(template: DeviceTemplate, document: unknown) {
    super(template, document, reportProblem);
  }

  /** A code of `codes` (after the spec's map), with its display from the code system. */
  code(
    spec: ValueSpec,
    scope: PathScope,
    codes: CodeSystem,
    optional: true,
  ): NormalizeResult<Coding | null>;
  code(spec: ValueSpec, scope: PathScope, codes: CodeSystem): NormalizeResult<Coding>;
  code(
    spec: ValueSpec,
    scope: PathScope,
    codes: CodeSystem,
    optional = false,
  ): NormalizeResult<Coding | null> {
    const read = this.scalar(spec, scope, optional);
    if (!read.ok) return read;
    if (read.value === undefined) return optional ? succeed(null) : this.missing(pathOf(spec));
    const code = String(read.value.value);
    if (!codes.has(code)) {
      return failWith(
        'NORMALIZE.UNKNOWN_CODE',
        `${code} is not a code of ${codes.url}.`,
        read.value.path,
      );
    }
    return succeed({ system: codes.url, code, display: codes.lookup(code)?.display ?? null });
  }

  time(spec: TimeSpec, scope: PathScope): NormalizeResult<number | undefined> {
    const { path, format, optional } =
      typeof spec === 'string' ? { path: spec, format: 'iso-8601', optional: false } : spec;
    const found = this.select(path, scope);
    if (!found.found) return optional === true ? succeed(undefined) : this.missing(found.path);
    if (format === 'iso-8601') {
      if (typeof found.value !== 'string')
        return this.wrongType(found.path, 'an ISO 8601 date-time text');
      const parsed = parseDateTime({ value: found.value, path: found.path });
      return parsed.ok
        ? parsed
        : failWith(
            'NORMALIZE.INVALID_FORMAT',
            `${found.path} is not an ISO 8601 date-time with a time zone (e.g. 2026-11-28T08:00:00+01:00).`,
            found.path,
          );
    }
    if (typeof found.value !== 'number' || !Number.isFinite(found.value)) {
      return this.wrongType(found.path, `a number (${format})`);
    }
    return succeed(format === 'epoch-seconds' ? found.value * 1000 : found.value);
  }

  /** A number and its unit, converted to the rule's UCUM unit and checked plausible. */
  quantity(
    spec: QuantitySpec,
    scope: PathScope,
    rule: QuantityRule | undefined,
  ): NormalizeResult<{ quantity: Quantity; path: string }> {
    const value = this.scalar(spec.value, scope);
    if (!value.ok) return value;
    if (value.value === undefined) return this.missing(pathOf(spec.value));
    const { path } = value.value;
    if (typeof value.value.value !== 'number' || !Number.isFinite(value.value.value)) {
      return this.wrongType(path, 'a number');
    }
    const number = value.value.value;
    const unit = this.scalar(spec.unit, scope);
    if (!unit.ok) return unit;
    if (unit.value === undefined) return this.missing(pathOf(spec.unit));
    const spelling = String(unit.value.value).trim();
    const unitPath = unit.value.path;
    if (rule === undefined) {
      const ucum = ucumSpellings.get(spelling);
      return succeed({
        quantity:
          ucum === undefined
            ? { value: number, unit: spelling, system: null, code: null }
            : { value: number, unit: spelling, system: systems.ucum, code: ucum },
        path,
      });
    }
    const conversion = Object.hasOwn(rule.units, spelling) ? rule.units[spelling] : undefined;
    if (conversion === undefined) {
      return failWith(
        'NORMALIZE.UNIT_NOT_CONVERTIBLE',
        `${rule.name} in "${spelling}" cannot be converted to ${rule.unit.display} (UCUM ${rule.unit.code}).`,
        unitPath,
      );
    }
    const canonical = converted(number, conversion);
    const { min, max } = rule.plausible;
    if (canonical < min || canonical > max) {
      const sent =
        canonical === number
          ? `${number} ${rule.unit.display}`
          : `${number} ${spelling} (${canonical} ${rule.unit.display})`;
      return failWith(
        'NORMALIZE.IMPLAUSIBLE_VALUE',
        `${rule.name} ${sent} is outside the plausible range ${min}–${max} ${rule.unit.display}.`,
        path,
      );
    }
    return succeed({
      quantity: {
        value: canonical,
        unit: rule.unit.display,
        system: systems.ucum,
        code: rule.unit.code,
      },
      path,
    });
  }
}
