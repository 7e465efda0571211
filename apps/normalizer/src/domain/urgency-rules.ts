/**
 * Which events travel on the urgent lane (DESIGN.md "Topics"): safety alarms, falls, fire, any
 * event of severity 30 (Alvorlig) or more, and triage red or orange. The severity and triage
 * thresholds are libs/fhir's (`isUrgentSeverity`, `isUrgentTriage`); the alert codes that are
 * urgent by themselves are listed here, each with why.
 */
import { isUrgentSeverity, isUrgentTriage, type AlertCode } from '@knutepunkt/fhir';
import type { Coding, WelfareEventKind } from '@knutepunkt/schemas';
import { systems } from './vkp-systems';

/** Alert codes (exact, not their descendants) that make an alarm urgent whatever its severity. */
export const urgentAlertCodes: readonly { readonly code: AlertCode; readonly why: string }[] = [
  { code: '3', why: 'Trygghetsalarm: the safety alarm itself' },
  { code: '4.1', why: 'Fall' },
  { code: '4.11', why: 'Brannalarm: fire' },
  { code: '4.13', why: 'Knappetrykk: the alarm button was pressed, a safety alarm' },
  { code: '4.14', why: 'Snortrekk: the alarm cord was pulled, a safety alarm' },
  { code: '4.24', why: 'Epilepsi: a seizure alarm calls for help as a fall does' },
  {
    code: '7',
    why: 'Sykesignalanlegg: a nurse call is a call for help (7.1 Inkontinens is not); NHN’s sample sends safety alarms as 7',
  },
];

const urgentCodes: ReadonlySet<string> = new Set(urgentAlertCodes.map((entry) => entry.code));

export interface UrgencyFacts {
  readonly kind: WelfareEventKind;
  readonly classifiers: readonly Coding[];
  readonly severity: Coding | null;
  readonly triage: Coding | null;
}

/** Whether the event goes on the urgent lane; the reason, for tests and logs, or null. */
export function urgencyOf(facts: UrgencyFacts): string | null {
  if (facts.kind === 'Alert') {
    const alert = facts.classifiers.find(
      (coding) => coding.system === systems.alert && urgentCodes.has(coding.code),
    );
    if (alert !== undefined) {
      return `alert code ${alert.code}`;
    }
  }
  if (facts.severity !== null && isUrgentSeverity(facts.severity.code)) {
    return `severity ${facts.severity.code}`;
  }
  if (facts.triage !== null && isUrgentTriage(facts.triage.code)) {
    return `triage ${facts.triage.code}`;
  }
  return null;
}
