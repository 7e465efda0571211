/**
 * DetectedIssue (vkp-DetectedIssue-v090) and the retired Flag (vkp-Flag-v090) → Alert. An
 * alarm Bundle's Encounter and Composition are folded in (event-plan.ts): the Composition's
 * narrative becomes `text` and its latest handling step `eventCode`; the Encounter lends its
 * device and time.
 */
import {
  severityLevelSystems,
  vkpAlertCodes,
  vkpSeverityLevels,
  vkpTriageCodes,
  type AlertCode,
  type TriageCode,
} from '@knutepunkt/fhir';
import type { Coding } from '@knutepunkt/schemas';
import { readComposition } from './composition';
import type { PlannedEvent } from './event-plan';
import {
  child,
  childObject,
  childObjects,
  codingIn,
  codingsOf,
  extensionsOf,
  firstDateTime,
  stringAt,
  toCoding,
  valueCodings,
  type JsonNode,
  type ReadCoding,
} from './fhir-json';
import type { MappedEvent } from './mapped-event';
import { failWith, mapAll, succeed, type NormalizeResult } from './normalize-error';
import { extensionUrls, systems } from './vkp-systems';

/**
 * vkp-flag-code-v090 (retired with vkp-Flag-v090) → vkp-alert-code-v090. The old DHO codes
 * moved under 5 (digital hjemmeoppfølging) with the same meaning; the supervision codes 4.x
 * kept their numbers.
 */
export const retiredFlagCodes: Readonly<Record<string, AlertCode>> = {
  '0': '5.1', // Oppsummerende varsel
  '1': '5.2', // Handling utført
  '1.1': '5.2.1', // Måledata rapportert
  '1.2': '5.2.2', // Skjemabesvarelse
  '1.3': '5.2.3', // Annen handling utført
  '2': '5.3', // Inaktiv pasient
  '2.1': '5.3.1', // Manglende skjemabesvarelse
  '2.2': '5.3.2', // Måling ikke rapportert
  '4': '4',
  '4.1': '4.1',
  '4.2': '4.2',
  '4.3': '4.3',
  '4.4': '4.4',
  '4.5': '4.5',
  '4.6': '4.6',
  '4.7': '4.7',
  '4.8': '4.8',
  '4.9': '4.9',
  '4.10': '4.10',
  '4.11': '4.11',
  '4.12': '4.12',
  '4.13': '4.13',
  '4.14': '4.14',
  '4.15': '4.15',
  '4.16': '4.16',
  '4.17': '4.17',
  '4.18': '4.18',
  '4.19': '4.19',
  '4.20': '4.20',
  '4.21': '4.21',
  '4.22': '4.22',
  '4.23': '4.23',
};

/**
 * DetectedIssue.detail may be a traffic-light colour (VKP's Simplifier guide); a detail that is
 * exactly one of these words is read as the triage colour.
 */
export const triageColourWords: Readonly<Record<string, TriageCode>> = {
  rød: 'R',
  red: 'R',
  oransje: 'O',
  orange: 'O',
  gul: 'Y',
  yellow: 'Y',
  grønn: 'G',
  green: 'G',
  blå: 'B',
  blue: 'B',
  svart: 'BL',
  black: 'BL',
};

const retiredFlagCodeByCode: ReadonlyMap<string, AlertCode> = new Map(
  Object.entries(retiredFlagCodes),
);
const triageByWord: ReadonlyMap<string, TriageCode> = new Map(Object.entries(triageColourWords));

export function mapAlert(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const { anchor, folded } = planned;
  const node = anchor.node;
  const code = alertCode(node);
  if (!code.ok) {
    return code;
  }
  const severity = severityOf(node);
  if (!severity.ok) {
    return severity;
  }
  const isFlag = anchor.resourceType === 'Flag';
  // The PCH/VKP Flag puts the text shown to people in code.text; a DetectedIssue has detail.
  const flagCode = isFlag ? childObject(node, 'code') : undefined;
  const detail = isFlag
    ? flagCode === undefined
      ? undefined
      : stringAt(flagCode, 'text')
    : stringAt(node, 'detail');
  const triage = triageOf(node, detail);
  if (!triage.ok) {
    return triage;
  }
  const compositions = mapAll(
    folded.filter((resource) => resource.resourceType === 'Composition'),
    (composition) => readComposition(composition.node),
  );
  if (!compositions.ok) {
    return compositions;
  }
  const texts = compositions.value
    .map((composition) => composition.text)
    .filter((text) => text !== '');
  const eventCode = compositions.value
    .map((composition) => composition.eventCode)
    .filter((coding) => coding !== null)
    .at(-1);
  const encounterPeriods = folded
    .filter((resource) => resource.resourceType === 'Encounter')
    .map((resource) => childObject(resource.node, 'period'));
  const identifiedPeriod = childObject(node, 'identifiedPeriod');
  const flagPeriod = childObject(node, 'period');
  const occurredAt = firstDateTime([
    child(node, 'identifiedDateTime'),
    identifiedPeriod === undefined ? undefined : child(identifiedPeriod, 'start'),
    flagPeriod === undefined ? undefined : child(flagPeriod, 'start'),
    ...encounterPeriods.map((period) =>
      period === undefined ? undefined : child(period, 'start'),
    ),
  ]);
  if (!occurredAt.ok) {
    return occurredAt;
  }
  return succeed({
    body: {
      kind: 'Alert',
      value: {
        code: code.value,
        sourceResourceType: anchor.resourceType,
        status: stringAt(node, 'status') ?? null,
        detail: detail ?? null,
        eventCode: eventCode ?? null,
        text: texts.length === 0 ? null : texts.join('\n\n'),
      },
    },
    occurredAt: occurredAt.value,
    severity: severity.value,
    triage: triage.value,
    classifiers: [code.value],
  });
}

/** The alert code: a vkp-alert-code-v090 coding, or a retired vkp-flag-code-v090 one. */
function alertCode(node: JsonNode): NormalizeResult<Coding> {
  const concept = child(node, 'code');
  const path = `${node.path}.code`;
  if (concept === undefined) {
    return failWith('NORMALIZE.MISSING_ELEMENT', `${path} is required.`, path);
  }
  const alert = codingIn(concept, [systems.alert]);
  if (alert !== undefined) {
    if (!vkpAlertCodes.has(alert.code)) {
      return unknownAlertCode(alert);
    }
    return succeed(toCoding(alert, alert.display ?? vkpAlertCodes.display(alert.code)));
  }
  const retired = codingIn(concept, [systems.retiredFlagCode]);
  if (retired !== undefined) {
    const mapped = retiredFlagCodeByCode.get(retired.code);
    if (mapped === undefined) {
      return unknownAlertCode(retired);
    }
    return succeed({ system: systems.alert, code: mapped, display: vkpAlertCodes.display(mapped) });
  }
  return failWith(
    codingsOf(concept).length === 0 ? 'NORMALIZE.MISSING_ELEMENT' : 'NORMALIZE.UNKNOWN_CODE',
    `${path} needs a coding in ${systems.alert}.`,
    `${path}.coding`,
  );
}

function unknownAlertCode(coding: ReadCoding): NormalizeResult<Coding> {
  return failWith(
    'NORMALIZE.UNKNOWN_CODE',
    `Alert code ${coding.code} is not in ${coding.system}.`,
    `${coding.path}.code`,
  );
}

/**
 * vkp-severity-level-v090: a CodeableConcept (some vendors send a Coding) whose system is the
 * code system or — as the profile fixes it by mistake — the value set. Written with the code
 * system's URL.
 */
function severityOf(node: JsonNode): NormalizeResult<Coding | null> {
  for (const extension of extensionsOf(node, extensionUrls.severityLevel)) {
    const coding = valueCodings(extension).find((candidate) =>
      severityLevelSystems.includes(candidate.system),
    );
    if (coding === undefined) {
      continue;
    }
    if (!vkpSeverityLevels.has(coding.code)) {
      return failWith(
        'NORMALIZE.UNKNOWN_CODE',
        `Severity level ${coding.code} is not in ${vkpSeverityLevels.url}.`,
        `${coding.path}.code`,
      );
    }
    return succeed({
      system: vkpSeverityLevels.url,
      code: coding.code,
      display: coding.display ?? vkpSeverityLevels.display(coding.code),
    });
  }
  return succeed(null);
}

/**
 * Triage (vkp-triage-v090, bound by no current profile): a triage coding in an extension, in
 * the alert's code or its evidence; else a detail that is just a colour word.
 */
function triageOf(node: JsonNode, detail: string | undefined): NormalizeResult<Coding | null> {
  const candidates: ReadCoding[] = [
    ...childObjects(node, 'extension').flatMap((extension) => valueCodings(extension)),
    ...codingsOf(child(node, 'code')),
    ...childObjects(node, 'evidence').flatMap((evidence) =>
      childObjects(evidence, 'code').flatMap((concept) => codingsOf(concept)),
    ),
  ];
  const coding = candidates.find((candidate) => candidate.system === systems.triage);
  if (coding !== undefined) {
    if (!vkpTriageCodes.has(coding.code)) {
      return failWith(
        'NORMALIZE.UNKNOWN_CODE',
        `Triage code ${coding.code} is not in ${systems.triage}.`,
        `${coding.path}.code`,
      );
    }
    return succeed(toCoding(coding, coding.display ?? vkpTriageCodes.display(coding.code)));
  }
  const colour = detail === undefined ? undefined : triageByWord.get(detail.trim().toLowerCase());
  return succeed(
    colour === undefined
      ? null
      : { system: systems.triage, code: colour, display: vkpTriageCodes.display(colour) },
  );
}
