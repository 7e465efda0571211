/**
 * A vendor mapping template as the normalizer loads it: the file's structure and paths
 * (@knutepunkt/device-templates), and then what only the normalizer knows — every code a map or
 * constant produces exists in its VKP code system, every constant unit converts under the
 * measurement rules, a panel has its required components. Checked once, at boot: a template
 * that fails stops the normalizer from starting, so a bad template never meets a vendor's data.
 */
import {
  parseDeviceTemplate,
  type EventSpec,
  type QuantitySpec,
  type TemplateLoad,
  type ValueSpec,
} from '@knutepunkt/device-templates';
import { vkpAlertCodes, vkpMedicationDispenseEvents, vkpSeverityLevels } from '@knutepunkt/fhir';
import { panelRuleFor, quantityRuleFor } from '../measurement-rules';

/**
 * Checks a template file's content (`raw`, parsed JSON) named `fileName`; the error lists every
 * problem, each with where it is in the file.
 */
export function loadDeviceTemplate(raw: unknown, fileName: string): TemplateLoad {
  const loaded = parseDeviceTemplate(raw, fileName);
  if (!loaded.ok) return loaded;
  const problems = loaded.value.file.events.flatMap((event, index) =>
    codeProblems(event, `events.${index}`),
  );
  return problems.length > 0 ? { ok: false, error: `${fileName}: ${problems.join('; ')}` } : loaded;
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
