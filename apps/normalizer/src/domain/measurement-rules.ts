/**
 * What the normalizer knows about measurements, as data: for each kind of quantity, the codes
 * that name it (LOINC and the SNOMED CT codes of the VKP Observation profiles), its UCUM unit,
 * the units vendors send for it and how to convert them, and the range a living person's value
 * lies in. A value outside the range is an error, not an event: a temperature of 370 °C is a
 * decimal-point slip, and journaling it would put a wrong number in the patient's record.
 *
 * Ranges are deliberately wide (they catch slips and wrong units, not illness): a value inside
 * is plausible for someone monitored at home, however ill.
 */
import { systems } from './vkp-systems';

/** `canonical = value × factor + offset`. */
export interface UnitConversion {
  readonly factor: number;
  readonly offset: number;
}

export interface QuantityRule {
  /** What is measured, in English, for messages. */
  readonly name: string;
  /** The LOINC coding a measurement carries when the sender gave only another code. */
  readonly loinc: { readonly code: string; readonly display: string };
  /** Every coding that names this quantity. */
  readonly codes: readonly { readonly system: string; readonly code: string }[];
  /** The UCUM unit values are normalised to, and how people write it. */
  readonly unit: { readonly code: string; readonly display: string };
  /** The unit codes and spellings vendors send, and their conversion to `unit`. */
  readonly units: Readonly<Record<string, UnitConversion>>;
  /** Inclusive range of plausible values, in `unit`. */
  readonly plausible: { readonly min: number; readonly max: number };
}

export interface PanelRule {
  readonly name: string;
  readonly codes: readonly { readonly system: string; readonly code: string }[];
  /** LOINC coding of the panel, for senders that gave only SNOMED CT. */
  readonly loinc: { readonly code: string; readonly display: string };
  /** Names (QuantityRule.name) of the components the panel must have. */
  readonly requiredComponents: readonly string[];
  /** Pairs `[greater, smaller]` of components whose values must be in that order. */
  readonly ordered: readonly (readonly [string, string])[];
}

const same: UnitConversion = { factor: 1, offset: 0 };
const loinc = (code: string) => ({ system: systems.loinc, code });
const snomed = (code: string) => ({ system: systems.snomed, code });

const pressureUnits: Readonly<Record<string, UnitConversion>> = {
  'mm[Hg]': same,
  mmHg: same,
  'mm Hg': same,
  // 1 kPa = 7.500 616 827 mmHg.
  kPa: { factor: 7.500616827, offset: 0 },
};

const perMinute: Readonly<Record<string, UnitConversion>> = {
  '/min': same,
  '1/min': same,
  '{beats}/min': same,
  '{breaths}/min': same,
  'beats/min': same,
  'breaths/min': same,
  bpm: same,
  'slag/min': same,
};

export const quantityRules: readonly QuantityRule[] = [
  {
    name: 'Body temperature',
    loinc: { code: '8310-5', display: 'Body temperature' },
    codes: [loinc('8310-5'), loinc('8331-1'), loinc('8328-7'), snomed('276885007')],
    unit: { code: 'Cel', display: '°C' },
    units: {
      Cel: same,
      '°C': same,
      C: same,
      degC: same,
      // °F → °C: (F − 32) × 5/9.
      '[degF]': { factor: 5 / 9, offset: -160 / 9 },
      '°F': { factor: 5 / 9, offset: -160 / 9 },
      F: { factor: 5 / 9, offset: -160 / 9 },
      degF: { factor: 5 / 9, offset: -160 / 9 },
    },
    plausible: { min: 25, max: 45 },
  },
  {
    name: 'Oxygen saturation',
    loinc: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    codes: [loinc('59408-5'), loinc('2708-6'), loinc('20564-1'), snomed('431314004')],
    unit: { code: '%', display: '%' },
    // A fraction (UCUM `1`) is a share of one: 0.97 → 97 %.
    units: { '%': same, '1': { factor: 100, offset: 0 } },
    plausible: { min: 50, max: 100 },
  },
  {
    name: 'Heart rate',
    loinc: { code: '8867-4', display: 'Heart rate' },
    codes: [loinc('8867-4'), snomed('364075005')],
    unit: { code: '/min', display: 'beats/min' },
    units: perMinute,
    plausible: { min: 20, max: 300 },
  },
  {
    name: 'Systolic blood pressure',
    loinc: { code: '8480-6', display: 'Systolic blood pressure' },
    codes: [loinc('8480-6'), snomed('271649006')],
    unit: { code: 'mm[Hg]', display: 'mmHg' },
    units: pressureUnits,
    plausible: { min: 40, max: 300 },
  },
  {
    name: 'Diastolic blood pressure',
    loinc: { code: '8462-4', display: 'Diastolic blood pressure' },
    codes: [loinc('8462-4'), snomed('271650006')],
    unit: { code: 'mm[Hg]', display: 'mmHg' },
    units: pressureUnits,
    plausible: { min: 20, max: 200 },
  },
  {
    name: 'Mean blood pressure',
    loinc: { code: '8478-0', display: 'Mean blood pressure' },
    codes: [loinc('8478-0')],
    unit: { code: 'mm[Hg]', display: 'mmHg' },
    units: pressureUnits,
    plausible: { min: 30, max: 250 },
  },
  {
    name: 'Body weight',
    loinc: { code: '29463-7', display: 'Body weight' },
    codes: [loinc('29463-7'), loinc('3141-9'), snomed('27113001')],
    unit: { code: 'kg', display: 'kg' },
    units: {
      kg: same,
      g: { factor: 0.001, offset: 0 },
      '[lb_av]': { factor: 0.45359237, offset: 0 },
      lb: { factor: 0.45359237, offset: 0 },
      lbs: { factor: 0.45359237, offset: 0 },
    },
    plausible: { min: 0.5, max: 500 },
  },
  {
    name: 'Respiratory rate',
    loinc: { code: '9279-1', display: 'Respiratory rate' },
    codes: [loinc('9279-1')],
    unit: { code: '/min', display: 'breaths/min' },
    units: perMinute,
    plausible: { min: 3, max: 80 },
  },
  {
    name: 'Body height',
    loinc: { code: '8302-2', display: 'Body height' },
    codes: [loinc('8302-2')],
    unit: { code: 'cm', display: 'cm' },
    units: {
      cm: same,
      m: { factor: 100, offset: 0 },
      mm: { factor: 0.1, offset: 0 },
      '[in_i]': { factor: 2.54, offset: 0 },
    },
    plausible: { min: 30, max: 250 },
  },
  {
    // Only the moles-per-volume codes: a mass concentration (mg/dL) is another LOINC code.
    name: 'Blood glucose',
    loinc: { code: '15074-8', display: 'Glucose [Moles/volume] in Blood' },
    codes: [loinc('15074-8'), loinc('14743-9'), loinc('14749-6')],
    unit: { code: 'mmol/L', display: 'mmol/L' },
    units: { 'mmol/L': same, 'mmol/l': same },
    plausible: { min: 0.5, max: 50 },
  },
];

export const panelRules: readonly PanelRule[] = [
  {
    name: 'Blood pressure',
    codes: [loinc('85354-9'), loinc('55284-4'), snomed('75367002')],
    loinc: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
    requiredComponents: ['Systolic blood pressure', 'Diastolic blood pressure'],
    ordered: [['Systolic blood pressure', 'Diastolic blood pressure']],
  },
];

/**
 * For measurements no rule knows: unit spellings vendors send without a system, and their UCUM
 * code, so a quantity in `mmHg` or `°C` still leaves with a coded UCUM unit. Spellings not here
 * stay as sent, uncoded.
 */
export const ucumCodeBySpelling: Readonly<Record<string, string>> = {
  kg: 'kg',
  g: 'g',
  cm: 'cm',
  m: 'm',
  '%': '%',
  '/min': '/min',
  h: 'h',
  min: 'min',
  s: 's',
  'mmol/L': 'mmol/L',
  'mg/dL': 'mg/dL',
  'L/min': 'L/min',
  'kg/m2': 'kg/m2',
  'mm[Hg]': 'mm[Hg]',
  Cel: 'Cel',
  '{steps}': '{steps}',
  mmHg: 'mm[Hg]',
  'mm Hg': 'mm[Hg]',
  '°C': 'Cel',
  '°F': '[degF]',
  bpm: '/min',
  'beats/min': '/min',
  'slag/min': '/min',
  'breaths/min': '/min',
  'mmol/l': 'mmol/L',
  'l/min': 'L/min',
  lbs: '[lb_av]',
  lb: '[lb_av]',
};

interface CodeLike {
  readonly system: string;
  readonly code: string;
}

function names(codes: readonly CodeLike[], coding: CodeLike): boolean {
  return codes.some((known) => known.system === coding.system && known.code === coding.code);
}

/** The rule for the first of `codings` that a rule knows. */
export function quantityRuleFor(codings: readonly CodeLike[]): QuantityRule | undefined {
  for (const coding of codings) {
    const rule = quantityRules.find((candidate) => names(candidate.codes, coding));
    if (rule !== undefined) {
      return rule;
    }
  }
  return undefined;
}

export function panelRuleFor(codings: readonly CodeLike[]): PanelRule | undefined {
  for (const coding of codings) {
    const rule = panelRules.find((candidate) => names(candidate.codes, coding));
    if (rule !== undefined) {
      return rule;
    }
  }
  return undefined;
}

/** Removes the binary floating-point noise a conversion leaves (98.6 °F → 37, not 37.000000000000004). */
export function converted(value: number, conversion: UnitConversion): number {
  if (conversion.factor === 1 && conversion.offset === 0) {
    return value;
  }
  return Number((value * conversion.factor + conversion.offset).toPrecision(12));
}
