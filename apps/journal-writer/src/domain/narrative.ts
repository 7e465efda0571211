/**
 * The journal entry's Norwegian (bokmål) narrative: what happened, when (Oslo time), which
 * service and device, severity, and for an alarm what the response centre did. One pure
 * function per kind of event; `narrativeOf` dispatches on the body's kind. Displays of VKP
 * codes come from @knutepunkt/fhir's code systems, never retyped here.
 */
import {
  parseIdentityNumber,
  vkpAlertCodes,
  vkpCompositionCategories,
  vkpCompositionEvents,
  vkpEncounterClasses,
  vkpEncounterReasons,
  vkpMedicationDispenseEvents,
  vkpSeverityLevels,
} from '@knutepunkt/fhir';
import {
  type Alert,
  type Coding,
  type Device,
  type DigitalVisit,
  type Location,
  type Measurement,
  type MeasurementComponent,
  type MedicationDispensing,
  type Note,
  type Quantity,
  type QuestionnaireAnswer,
  type WelfareEvent,
  type WelfareService,
  tagWelfareEventBody,
} from '@knutepunkt/schemas';
import { osloDateAndTime, osloTimeRelativeTo } from './oslo-time';
import { narrativeDiv } from './xhtml';

export interface Narrative {
  /** One line for a list of entries, e.g. `Fall – trygghetsalarm`. */
  readonly title: string;
  /** The narrative as plain text, one statement per line. */
  readonly text: string;
  /** The same lines as a FHIR narrative div (Composition.text.div), escaped. */
  readonly xhtml: string;
}

export interface NarrativeOptions {
  /** The consent service found the patient through a device loan (the event named only a device). */
  readonly attributedViaDevice?: boolean;
}

/** What a kind contributes: its title and headline, and the lines that follow severity. */
interface KindNarrative {
  readonly title: string;
  readonly headline: string;
  readonly details: readonly string[];
}

/** Context every kind's narrative needs. */
interface EventContext {
  readonly when: string;
  readonly occurredAt: number;
  readonly service: string;
}

/** The service as a nurse names it (DESIGN.md "Canonical event"). */
export const serviceNames: Readonly<Record<WelfareService, string>> = {
  TA: 'trygghetsalarm',
  GPS: 'lokaliseringsteknologi (GPS)',
  MD: 'medisindispenser',
  DT: 'digitalt tilsyn',
  DHO: 'digital hjemmeoppfølging',
  UNKNOWN: 'ukjent velferdsteknologisk tjeneste',
};

// ---------------------------------------------------------------------------------------
// Small text helpers

/**
 * Vendor free text may carry a national identity number; the journal entry names the patient
 * only in its subject. Any 11-digit run that parses as one is replaced.
 */
export function redactIdentityNumbers(text: string): string {
  return text.replace(/(?<!\d)\d{11}(?!\d)/g, (digits) =>
    parseIdentityNumber(digits).ok ? '[personnummer fjernet]' : digits,
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase('nb-NO') + text.slice(1);
}

/** A sentence from vendor text: trimmed, ending in a full stop unless it has its own. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?:]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function isPresent(text: string | null | undefined): text is string {
  return text !== null && text !== undefined && text.trim() !== '';
}

/** A coding's display: the VKP code system's when it defines the code, else as sent. */
function displayOf(
  coding: Coding,
  codeSystem: {
    readonly url: string;
    lookup(code: string): { readonly display?: string } | undefined;
  },
): string {
  const fromCodeSystem =
    coding.system === codeSystem.url ? codeSystem.lookup(coding.code)?.display : undefined;
  return fromCodeSystem ?? coding.display ?? coding.code;
}

const numberFormat = new Intl.NumberFormat('nb-NO', {
  maximumFractionDigits: 2,
  useGrouping: false,
});

/** `37,5` — Norwegian decimal comma; U+2212 minus replaced so plain-text readers see `-`. */
function formatNumber(value: number): string {
  return numberFormat.format(value).replace('\u2212', '-');
}

/** UCUM codes shown the way people write them. */
const unitLabels: Readonly<Record<string, string>> = {
  Cel: '°C',
  'mm[Hg]': 'mmHg',
  '/min': '/min',
};

function unitOf(quantity: Quantity): string {
  const label =
    quantity.unit ?? (quantity.code === null ? null : (unitLabels[quantity.code] ?? quantity.code));
  return label === null || label === '' ? '' : label;
}

function formatQuantity(quantity: Quantity): string {
  const unit = unitOf(quantity);
  return unit === '' ? formatNumber(quantity.value) : `${formatNumber(quantity.value)} ${unit}`;
}

/** FHIR status codes a nurse meets in these resources, in Norwegian. */
const statusNames: Readonly<Record<string, string>> = {
  completed: 'fullført',
  finished: 'avsluttet',
  'in-progress': 'pågår',
  planned: 'planlagt',
  cancelled: 'avlyst',
  preliminary: 'foreløpig',
  amended: 'endret',
  corrected: 'korrigert',
  'entered-in-error': 'registrert ved feil',
  declined: 'avslått',
  stopped: 'stoppet',
  'not-done': 'ikke utført',
  'on-hold': 'på vent',
};

function statusName(status: string): string {
  return statusNames[status] ?? status;
}

// ---------------------------------------------------------------------------------------
// Lines shared by every kind

function severityLine(severity: Coding | null): string | undefined {
  // Level 0 is "Ikke rapportert": saying so adds nothing for the reader.
  if (severity === null || severity.code === '0') {
    return undefined;
  }
  return `Alvorlighetsgrad: ${displayOf(severity, vkpSeverityLevels)}.`;
}

function deviceLine(device: Device | null): string | undefined {
  if (device === null) {
    return undefined;
  }
  const parts = [
    device.type?.text ?? device.type?.codings[0]?.display ?? null,
    device.vendor,
    device.model,
  ]
    .filter(isPresent)
    .map((part) => part.trim());
  const serial = device.identifier === null ? '' : ` (serienr. ${device.identifier.value})`;
  if (parts.length === 0 && serial === '') {
    return undefined;
  }
  const name = parts.length === 0 ? 'ukjent' : parts.join(' ');
  return `Enhet: ${name}${serial}.`;
}

// ---------------------------------------------------------------------------------------
// One function per kind

/** Missed: the dispenser did not hand the dose over (status other than completed/in-progress). */
function isMissedDose(dispensing: MedicationDispensing): boolean {
  return (
    dispensing.handedOverAt === null &&
    dispensing.status !== 'completed' &&
    dispensing.status !== 'in-progress'
  );
}

export function medicationDispensingNarrative(
  dispensing: MedicationDispensing,
  context: EventContext,
): KindNarrative {
  const what = displayOf(dispensing.event, vkpMedicationDispenseEvents);
  const medication =
    dispensing.medication?.text ?? dispensing.medication?.codings[0]?.display ?? null;
  const ofMedication = isPresent(medication) ? ` (${medication.trim()})` : '';
  const details: string[] = [];
  if (dispensing.plannedAt !== null) {
    details.push(`Planlagt ${osloTimeRelativeTo(dispensing.plannedAt, context.occurredAt)}.`);
  }
  if (dispensing.handedOverAt !== null) {
    details.push(`Utlevert ${osloTimeRelativeTo(dispensing.handedOverAt, context.occurredAt)}.`);
  }
  if (isPresent(dispensing.dosageText)) {
    details.push(`Dosering: ${sentence(dispensing.dosageText)}`);
  }
  if (isMissedDose(dispensing)) {
    const reason =
      dispensing.statusReason?.text ?? dispensing.statusReason?.codings[0]?.display ?? null;
    details.unshift(
      isPresent(reason)
        ? `Status: ${statusName(dispensing.status)}. Årsak: ${sentence(reason)}`
        : `Status: ${statusName(dispensing.status)}.`,
    );
    return {
      title: `Medisin ikke utlevert – ${context.service}`,
      headline: `Medisin ikke utlevert${ofMedication} ${context.when}, ${context.service}.`,
      details,
    };
  }
  return {
    title: `${capitalised(what)} – ${context.service}`,
    headline: `${capitalised(what)}${ofMedication} ${context.when}, ${context.service}.`,
    details,
  };
}

export function alertNarrative(alert: Alert, context: EventContext): KindNarrative {
  const what = displayOf(alert.code, vkpAlertCodes);
  const details: string[] = [];
  if (isPresent(alert.detail)) {
    details.push(`Detaljer: ${sentence(alert.detail)}`);
  }
  if (alert.eventCode !== null) {
    details.push(`Responssenter: ${displayOf(alert.eventCode, vkpCompositionEvents)}.`);
  }
  if (isPresent(alert.text)) {
    details.push(`Responssenterets notat: ${sentence(alert.text)}`);
  }
  return {
    title: `${capitalised(what)} – ${context.service}`,
    headline: `Alarm: ${what} ${context.when}, ${context.service}.`,
    details,
  };
}

export function digitalVisitNarrative(visit: DigitalVisit, context: EventContext): KindNarrative {
  // VKP's class displays are identifiers (`toveis_tale`); people read them with spaces.
  const visitKind = displayOf(visit.visitClass, vkpEncounterClasses).replaceAll('_', ' ');
  const reason = visit.reason === null ? '' : ` (${displayOf(visit.reason, vkpEncounterReasons)})`;
  const details: string[] = [];
  if (visit.start !== null) {
    const start = osloTimeRelativeTo(visit.start, context.occurredAt);
    const end =
      visit.end === null
        ? ''
        : `–${osloTimeRelativeTo(visit.end, visit.start).replace('kl. ', '')}`;
    details.push(`Varighet: ${start}${end}. Status: ${statusName(visit.status)}.`);
  } else {
    details.push(`Status: ${statusName(visit.status)}.`);
  }
  if (isPresent(visit.text)) {
    details.push(`Notat: ${sentence(visit.text)}`);
  }
  return {
    title: `${capitalised(visitKind)} – ${context.service}`,
    headline: `${capitalised(visitKind)}${reason} ${context.when}, ${context.service}.`,
    details,
  };
}

/** Norwegian names of the LOINC measurements DHO sends most (docs/normalizer-mapping.md). */
const measurementNames: Readonly<Record<string, string>> = {
  '85354-9': 'Blodtrykk',
  '55284-4': 'Blodtrykk',
  '8480-6': 'Systolisk blodtrykk',
  '8462-4': 'Diastolisk blodtrykk',
  '8478-0': 'Middelblodtrykk',
  '8310-5': 'Kroppstemperatur',
  '8331-1': 'Kroppstemperatur (munn)',
  '8328-7': 'Kroppstemperatur (øre)',
  '59408-5': 'Oksygenmetning',
  '2708-6': 'Oksygenmetning',
  '20564-1': 'Oksygenmetning',
  '8867-4': 'Puls',
  '29463-7': 'Vekt',
  '3141-9': 'Vekt',
  '9279-1': 'Respirasjonsfrekvens',
  '8302-2': 'Høyde',
  '15074-8': 'Blodsukker',
  '14743-9': 'Blodsukker',
  '14749-6': 'Blodsukker',
};
const loincSystem = 'http://loinc.org';

function measurementName(code: Coding): string {
  const known = code.system === loincSystem ? measurementNames[code.code] : undefined;
  return known ?? code.display ?? code.code;
}

function componentValue(component: {
  readonly value: Quantity | null;
  readonly valueText: string | null;
}): string {
  if (component.value !== null) {
    return formatQuantity(component.value);
  }
  return isPresent(component.valueText) ? component.valueText.trim() : 'ingen verdi';
}

function componentWithCode(
  components: readonly MeasurementComponent[],
  loincCode: string,
): MeasurementComponent | undefined {
  return components.find(
    (component) => component.code.system === loincSystem && component.code.code === loincCode,
  );
}

/** `132/84 mmHg` when both pressures are quantities in the same unit. */
function bloodPressure(components: readonly MeasurementComponent[]): string | undefined {
  const systolic = componentWithCode(components, '8480-6')?.value;
  const diastolic = componentWithCode(components, '8462-4')?.value;
  if (
    systolic === undefined ||
    systolic === null ||
    diastolic === undefined ||
    diastolic === null
  ) {
    return undefined;
  }
  const unit = unitOf(systolic);
  if (unit !== unitOf(diastolic)) {
    return undefined;
  }
  const pair = `${formatNumber(systolic.value)}/${formatNumber(diastolic.value)}`;
  return unit === '' ? pair : `${pair} ${unit}`;
}

export function measurementNarrative(
  measurement: Measurement,
  context: EventContext,
): KindNarrative {
  const name = measurementName(measurement.code);
  const pressure = bloodPressure(measurement.components);
  let value: string;
  if (pressure !== undefined) {
    const others = measurement.components.filter(
      (component) =>
        !(
          component.code.system === loincSystem &&
          ['8480-6', '8462-4'].includes(component.code.code)
        ),
    );
    value = [
      pressure,
      ...others.map((other) => `${measurementName(other.code)} ${componentValue(other)}`),
    ].join(', ');
  } else if (measurement.components.length > 0) {
    value = measurement.components
      .map((component) => `${measurementName(component.code)} ${componentValue(component)}`)
      .join(', ');
  } else {
    value = componentValue(measurement);
  }
  const details =
    measurement.status === 'final' ? [] : [`Status: ${statusName(measurement.status)}.`];
  return {
    title: `${name} ${value} – ${context.service}`,
    headline: `${name}: ${value}, målt ${context.when}, ${context.service}.`,
    details,
  };
}

const coordinateFormat = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 5,
  maximumFractionDigits: 5,
  useGrouping: false,
});

export function locationNarrative(location: Location, context: EventContext): KindNarrative {
  // Coordinates keep the decimal point and a comma between them: that is what map services accept.
  const position = `${coordinateFormat.format(location.latitude)}, ${coordinateFormat.format(location.longitude)}`;
  const accuracy =
    location.accuracyMeters === null
      ? ''
      : ` (nøyaktighet ±${String(Math.round(location.accuracyMeters))} m)`;
  const details = isPresent(location.zone) ? [`Sone: ${sentence(location.zone)}`] : [];
  return {
    title: `Posisjon – ${context.service}`,
    headline: `Posisjon ${position}${accuracy} ${context.when}, ${context.service}.`,
    details,
  };
}

export function noteNarrative(note: Note, context: EventContext): KindNarrative {
  const category = displayOf(note.category, vkpCompositionCategories);
  const title = isPresent(note.title) ? note.title.trim() : `Notat (${category})`;
  const details: string[] = [];
  if (note.eventCode !== null) {
    details.push(`Hendelse: ${displayOf(note.eventCode, vkpCompositionEvents)}.`);
  }
  if (isPresent(note.text)) {
    details.push(sentence(note.text));
  }
  if (isPresent(note.author)) {
    details.push(`Skrevet av: ${sentence(note.author)}`);
  }
  return {
    title: `${title} – ${context.service}`,
    headline: `Notat (${category}) ${context.when}, ${context.service}: ${sentence(title)}`,
    details,
  };
}

/** FHIR JSON booleans as a Norwegian answer. */
function answerText(answer: string): string {
  if (answer === 'true') {
    return 'Ja';
  }
  return answer === 'false' ? 'Nei' : answer;
}

export function questionnaireAnswerNarrative(
  answer: QuestionnaireAnswer,
  context: EventContext,
): KindNarrative {
  const details = answer.items.map((item) => {
    const question = isPresent(item.text) ? item.text.trim() : `Spørsmål ${item.linkId}`;
    const answers =
      item.answers.length === 0 ? 'ikke besvart' : item.answers.map(answerText).join(', ');
    return `${question} ${sentence(answers)}`;
  });
  const status = answer.status === 'completed' ? '' : ` (status: ${statusName(answer.status)})`;
  return {
    title: `Skjemasvar – ${context.service}`,
    headline: `Skjemasvar${status} ${context.when}, ${context.service}.`,
    details,
  };
}

// ---------------------------------------------------------------------------------------
// Dispatch

function kindNarrative(event: WelfareEvent, context: EventContext): KindNarrative {
  const body = tagWelfareEventBody(event.body);
  switch (body.kind) {
    case 'MedicationDispensing':
      return medicationDispensingNarrative(body.value, context);
    case 'Alert':
      return alertNarrative(body.value, context);
    case 'DigitalVisit':
      return digitalVisitNarrative(body.value, context);
    case 'Measurement':
      return measurementNarrative(body.value, context);
    case 'Location':
      return locationNarrative(body.value, context);
    case 'Note':
      return noteNarrative(body.value, context);
    case 'QuestionnaireAnswer':
      return questionnaireAnswerNarrative(body.value, context);
    default: {
      const unknown: never = body;
      throw new Error(`No narrative for body ${JSON.stringify(unknown)}`);
    }
  }
}

/** The journal entry's narrative for an event. */
export function narrativeOf(event: WelfareEvent, options: NarrativeOptions = {}): Narrative {
  const context: EventContext = {
    when: osloDateAndTime(event.occurredAt),
    occurredAt: event.occurredAt,
    service: serviceNames[event.service],
  };
  const kind = kindNarrative(event, context);
  const lines = [
    kind.headline,
    severityLine(event.severity),
    ...kind.details,
    deviceLine(event.device),
    options.attributedViaDevice === true ? 'Pasienten er funnet via utlån av enheten.' : undefined,
  ]
    .filter((line): line is string => line !== undefined)
    .map(redactIdentityNumbers);
  const title = redactIdentityNumbers(kind.title);
  return { title, text: lines.join('\n'), xhtml: narrativeDiv(lines) };
}
