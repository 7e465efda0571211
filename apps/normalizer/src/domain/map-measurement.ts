/**
 * Observation (vkp-Observation-v090 and its vital-sign profiles) → Measurement. Quantities a
 * rule knows (measurement-rules.ts) leave in their UCUM unit and must be plausible; a blood
 * pressure panel must have both its components, systolic above diastolic. Other LOINC/UCUM
 * measurements pass through with their unit coded in UCUM where the spelling is known.
 */
import type { Coding, MeasurementComponent, Quantity } from '@knutepunkt/schemas';
import type { PlannedEvent } from './event-plan';
import {
  child,
  childObject,
  childObjects,
  codingsOf,
  firstDateTime,
  optionalNumber,
  requiredString,
  stringAt,
  toCoding,
  type JsonNode,
  type ReadCoding,
} from './fhir-json';
import { renderValue, type MappedEvent } from './mapped-event';
import {
  converted,
  panelRuleFor,
  quantityRuleFor,
  ucumCodeBySpelling,
  type QuantityRule,
} from './measurement-rules';
import { failWith, mapAll, succeed, type NormalizeResult } from './normalize-error';
import { systems } from './vkp-systems';

/** The value[x] types an Observation may carry besides valueQuantity. */
const otherValueTypes = [
  'valueCodeableConcept',
  'valueString',
  'valueBoolean',
  'valueInteger',
  'valueRange',
  'valueRatio',
  'valueSampledData',
  'valueTime',
  'valueDateTime',
  'valuePeriod',
];

const ucumSpellings: ReadonlyMap<string, string> = new Map(Object.entries(ucumCodeBySpelling));

interface MappedComponent {
  readonly component: MeasurementComponent;
  readonly rule: QuantityRule | undefined;
  readonly path: string;
}

export function mapMeasurement(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const node = planned.anchor.node;
  const codings = codingsOf(child(node, 'code'));
  const [firstCoding] = codings;
  if (firstCoding === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.code needs a coding with a system and a code (LOINC).`,
      `${node.path}.code.coding`,
    );
  }
  const rule = quantityRuleFor(codings);
  const panel = panelRuleFor(codings);
  const status = requiredString(node, 'status');
  if (!status.ok) {
    return status;
  }
  const components = mapAll(childObjects(node, 'component'), mapComponent);
  if (!components.ok) {
    return components;
  }
  if (panel !== undefined) {
    for (const required of panel.requiredComponents) {
      if (!components.value.some((mapped) => mapped.rule?.name === required)) {
        return failWith(
          'NORMALIZE.MISSING_ELEMENT',
          `A ${panel.name.toLowerCase()} measurement needs a ${required.toLowerCase()} component.`,
          `${node.path}.component`,
        );
      }
    }
    for (const [greaterName, smallerName] of panel.ordered) {
      const greater = components.value.find((mapped) => mapped.rule?.name === greaterName);
      const smaller = components.value.find((mapped) => mapped.rule?.name === smallerName);
      const greaterValue = greater?.component.value?.value;
      const smallerValue = smaller?.component.value?.value;
      const outOfOrder =
        greaterValue !== undefined && smallerValue !== undefined && greaterValue <= smallerValue;
      if (greater !== undefined && outOfOrder) {
        return failWith(
          'NORMALIZE.IMPLAUSIBLE_VALUE',
          `${greaterName} ${greaterValue} must be above ${smallerName.toLowerCase()} ${smallerValue}.`,
          `${greater.path}.valueQuantity.value`,
        );
      }
    }
  }
  const value = measuredValue(node, rule);
  if (!value.ok) {
    return value;
  }
  if (value.value.quantity === null && value.value.text === null && components.value.length === 0) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path} has no value, component or dataAbsentReason.`,
      `${node.path}.value[x]`,
    );
  }
  const period = childObject(node, 'effectivePeriod');
  const occurredAt = firstDateTime([
    child(node, 'effectiveDateTime'),
    child(node, 'effectiveInstant'),
    period === undefined ? undefined : child(period, 'start'),
    child(node, 'issued'),
  ]);
  if (!occurredAt.ok) {
    return occurredAt;
  }
  const code = measurementCode(codings, firstCoding, rule?.loinc ?? panel?.loinc);
  return succeed({
    body: {
      kind: 'Measurement',
      value: {
        code,
        status: status.value,
        value: value.value.quantity,
        valueText: value.value.text,
        components: components.value.map((mapped) => mapped.component),
      },
    },
    occurredAt: occurredAt.value,
    severity: null,
    triage: null,
    classifiers: [code],
  });
}

function mapComponent(node: JsonNode): NormalizeResult<MappedComponent> {
  const codings = codingsOf(child(node, 'code'));
  const [firstCoding] = codings;
  if (firstCoding === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.code needs a coding with a system and a code.`,
      `${node.path}.code.coding`,
    );
  }
  const rule = quantityRuleFor(codings);
  const value = measuredValue(node, rule);
  if (!value.ok) {
    return value;
  }
  return succeed({
    component: {
      code: measurementCode(codings, firstCoding, rule?.loinc),
      value: value.value.quantity,
      valueText: value.value.text,
    },
    rule,
    path: node.path,
  });
}

/**
 * The sender's LOINC coding when it sent one; else the rule's LOINC (VKP's profiles let a vendor
 * send only SNOMED CT); else the first coding as sent.
 */
function measurementCode(
  codings: readonly ReadCoding[],
  first: ReadCoding,
  fallback: { readonly code: string; readonly display: string } | undefined,
): Coding {
  const loinc = codings.find((coding) => coding.system === systems.loinc);
  if (loinc !== undefined) {
    return toCoding(
      loinc,
      loinc.display ?? (fallback?.code === loinc.code ? fallback.display : null),
    );
  }
  if (fallback !== undefined) {
    return { system: systems.loinc, code: fallback.code, display: fallback.display };
  }
  return toCoding(first);
}

interface MeasuredValue {
  readonly quantity: Quantity | null;
  readonly text: string | null;
}

function measuredValue(
  node: JsonNode,
  rule: QuantityRule | undefined,
): NormalizeResult<MeasuredValue> {
  const quantityNode = childObject(node, 'valueQuantity');
  if (quantityNode !== undefined) {
    const quantity = normalizedQuantity(quantityNode, rule);
    return quantity.ok ? succeed({ quantity: quantity.value, text: null }) : quantity;
  }
  const other = otherValueTypes.find((type) => child(node, type) !== undefined);
  if (rule !== undefined && other !== undefined) {
    return failWith(
      'NORMALIZE.INVALID_FORMAT',
      `${rule.name} must be a valueQuantity in ${rule.unit.display}, not a ${other}.`,
      `${node.path}.${other}`,
    );
  }
  const rendered = renderValue(node);
  if (rendered !== undefined) {
    return succeed({ quantity: null, text: rendered });
  }
  const absent = child(node, 'dataAbsentReason');
  if (absent !== undefined) {
    const [reason] = codingsOf(absent);
    const why = stringAt(absent, 'text') ?? reason?.display ?? reason?.code ?? 'unknown';
    return succeed({ quantity: null, text: `Data absent: ${why}` });
  }
  return succeed({ quantity: null, text: null });
}

function normalizedQuantity(
  node: JsonNode,
  rule: QuantityRule | undefined,
): NormalizeResult<Quantity> {
  const number = optionalNumber(node, 'value');
  if (!number.ok) {
    return number;
  }
  if (number.value === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.value is required.`,
      `${node.path}.value`,
    );
  }
  const value = number.value;
  const system = stringAt(node, 'system')?.trim();
  const code = stringAt(node, 'code')?.trim();
  const unit = stringAt(node, 'unit')?.trim();
  if (rule === undefined) {
    return succeed(passThrough(value, system, code, unit));
  }
  const spelling = [code, unit].find(
    (candidate) =>
      candidate !== undefined && Object.prototype.hasOwnProperty.call(rule.units, candidate),
  );
  const conversion = spelling === undefined ? undefined : rule.units[spelling];
  if (conversion === undefined) {
    const sent = code ?? unit;
    return failWith(
      'NORMALIZE.UNIT_NOT_CONVERTIBLE',
      sent === undefined
        ? `${rule.name} has no unit; send it in ${rule.unit.display} (UCUM ${rule.unit.code}).`
        : `${rule.name} in "${sent}" cannot be converted to ${rule.unit.display} (UCUM ${rule.unit.code}).`,
      `${node.path}.${code === undefined ? 'unit' : 'code'}`,
    );
  }
  const canonical = converted(value, conversion);
  const { min, max } = rule.plausible;
  if (canonical < min || canonical > max) {
    const sent =
      canonical === value
        ? `${value} ${rule.unit.display}`
        : `${value} ${spelling ?? ''} (${canonical} ${rule.unit.display})`;
    return failWith(
      'NORMALIZE.IMPLAUSIBLE_VALUE',
      `${rule.name} ${sent} is outside the plausible range ${min}–${max} ${rule.unit.display}.`,
      `${node.path}.value`,
    );
  }
  return succeed({
    value: canonical,
    unit: rule.unit.display,
    system: systems.ucum,
    code: rule.unit.code,
  });
}

/** A measurement no rule knows: UCUM as sent, a known spelling coded in UCUM, else as sent. */
function passThrough(
  value: number,
  system: string | undefined,
  code: string | undefined,
  unit: string | undefined,
): Quantity {
  if (system === systems.ucum && code !== undefined) {
    return { value, unit: unit ?? code, system, code };
  }
  const spelling = system === undefined ? (code ?? unit) : undefined;
  const ucum = spelling === undefined ? undefined : ucumSpellings.get(spelling);
  if (ucum !== undefined) {
    return { value, unit: unit ?? code ?? ucum, system: systems.ucum, code: ucum };
  }
  return {
    value,
    unit: unit ?? code ?? null,
    system: code === undefined ? null : (system ?? null),
    code: system === undefined ? null : (code ?? null),
  };
}
