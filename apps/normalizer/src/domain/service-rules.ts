/**
 * Which welfare-technology service an event belongs to (TA trygghetsalarm, GPS
 * lokaliseringsteknologi, MD medisindispenser, DT digitalt tilsyn, DHO digital
 * hjemmeoppfølging), as data. The consent service withholds an event whose patient is not a
 * registered recipient of that service, so a wrong rule here hides an event from the journal:
 * each rule says why.
 *
 * Rules are tried in order; the first that matches decides. A rule matches an event of its
 * `kind` (any kind when not given) one of whose classifying codings (mapped-event.ts) is in
 * `system` with `code` or a dotted descendant of it (`4` matches `4.11`).
 */
import type { Coding, WelfareEventKind, WelfareService } from '@knutepunkt/schemas';
import { systems } from './vkp-systems';

export interface ServiceRule {
  readonly kind?: WelfareEventKind;
  readonly system?: string;
  /** The code, matching itself and its dotted descendants. */
  readonly code?: string;
  readonly service: Exclude<WelfareService, 'UNKNOWN'>;
  readonly why: string;
}

export const serviceRules: readonly ServiceRule[] = [
  // The alert code's top level says which technology raised it (vkp-alert-code-v090). It also
  // classifies a Note whose Composition.type carries it, as NHN's alarm sample does.
  {
    system: systems.alert,
    code: '1',
    service: 'MD',
    why: '1 Elektronisk medisineringsstøtte: the dispenser',
  },
  { system: systems.alert, code: '2', service: 'GPS', why: '2 Lokaliseringsteknologi' },
  { system: systems.alert, code: '3', service: 'TA', why: '3 Trygghetsalarm' },
  // 4.x: the code system files every home sensor under 4 Digitalt tilsyn, but municipalities
  // deliver the alarms a person or a hazard raises as accessories of the safety alarm, handled
  // by the response centre; the behaviour and presence sensing that replaces a night visit is
  // supervision. Listed one by one; `4` itself and codes added later fall to DT below.
  ...(['4.1', '4.11', '4.13', '4.14', '4.17', '4.24'] as const).map((code): ServiceRule => ({
    system: systems.alert,
    code,
    service: 'TA',
    why: 'Fall, fire, button, cord, water and seizure alarms are safety-alarm accessories',
  })),
  {
    system: systems.alert,
    code: '4',
    service: 'DT',
    why: '4 Digitalt tilsyn: bed, room, activity, absence, door, sound and camera supervision',
  },
  { system: systems.alert, code: '5', service: 'DHO', why: '5 Digital hjemmeoppfølging' },
  {
    system: systems.alert,
    code: '6',
    service: 'TA',
    why: '6 Elektronisk dørlås: the door lock lets responders into a safety-alarm user’s home',
  },
  {
    system: systems.alert,
    code: '7',
    service: 'TA',
    why: '7 Sykesignalanlegg (nurse call): a call for help, and NHN’s own sample sends safety alarms as 7',
  },
  { kind: 'MedicationDispensing', service: 'MD', why: 'A dispenser event' },
  { kind: 'DigitalVisit', service: 'DT', why: 'A digital supervision visit (digitalt tilsyn)' },
  { kind: 'Location', service: 'GPS', why: 'A GPS position' },
  { kind: 'Measurement', service: 'DHO', why: 'Measurements are digital home follow-up' },
  { kind: 'QuestionnaireAnswer', service: 'DHO', why: 'Symptom forms are digital home follow-up' },
  {
    kind: 'Note',
    system: systems.compositionCategory,
    code: '2',
    service: 'DHO',
    why: 'Composition category 2 Digital hjemmeoppfølging',
  },
  {
    kind: 'Note',
    system: systems.compositionCategory,
    code: '1',
    service: 'TA',
    why: 'Composition category 1 Trygghet og mestring: response centres write these for safety alarms',
  },
];

function codeMatches(ruleCode: string, code: string): boolean {
  return code === ruleCode || code.startsWith(`${ruleCode}.`);
}

function matches(
  rule: ServiceRule,
  kind: WelfareEventKind,
  classifiers: readonly Coding[],
): boolean {
  if (rule.kind !== undefined && rule.kind !== kind) {
    return false;
  }
  const { system, code } = rule;
  if (system === undefined) {
    return true;
  }
  return classifiers.some(
    (coding) => coding.system === system && (code === undefined || codeMatches(code, coding.code)),
  );
}

/** The first rule that matches the event, or undefined when none does. */
export function serviceRuleFor(
  kind: WelfareEventKind,
  classifiers: readonly Coding[],
): ServiceRule | undefined {
  return serviceRules.find((rule) => matches(rule, kind, classifiers));
}
