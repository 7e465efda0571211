import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpDetectedIssue,
  aVkpDigitalEncounter,
  aVkpResponseCentreComposition,
} from '@knutepunkt/fhir/testing';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { planEvents } from './event-plan';
import { readSubmission } from './submission-content';

function plan(bundle: Bundle): string[] {
  const content = readSubmission(JSON.stringify(bundle), 'Bundle');
  if (!content.ok) {
    throw new Error(content.error.message);
  }
  const planned = planEvents(content.value);
  if (!planned.ok) {
    throw new Error(planned.error.message);
  }
  return planned.value.map(
    (event) =>
      `${event.anchor.resourceType}${event.folded.map((folded) => `+${folded.resourceType}`).join('')}`,
  );
}

const collection = (...entries: BundleEntry[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: entries,
});

const url = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('planning the events of a Bundle', () => {
  it('folds the Encounter and the Composition of an alarm into its DetectedIssue', () => {
    expect(plan(aVkpAlarmBundle())).toEqual(['DetectedIssue+Composition+Encounter']);
  });

  it('folds an Encounter that only the Composition references into the Bundle’s one alarm', () => {
    const composition = aVkpResponseCentreComposition({ documents: url(3) });

    expect(
      plan(
        collection(
          { fullUrl: url(1), resource: aVkpDetectedIssue() },
          { fullUrl: url(2), resource: composition },
          { fullUrl: url(3), resource: aVkpDigitalEncounter() },
        ),
      ),
    ).toEqual(['DetectedIssue+Composition+Encounter']);
  });

  it('keeps a note about a measurement a Note, even beside an alarm', () => {
    expect(
      plan(
        collection(
          { fullUrl: url(1), resource: aVkpDetectedIssue() },
          { fullUrl: url(2), resource: aVkpResponseCentreComposition({ documents: url(3) }) },
          { fullUrl: url(3), resource: aVkpBloodPressureObservation() },
        ),
      ),
    ).toEqual(['DetectedIssue', 'Composition', 'Observation']);
  });

  it('keeps an unlinked Composition a Note when two alarms could own it', () => {
    const second = aVkpDetectedIssue({ alertCode: '4.11' });

    expect(
      plan(
        collection(
          { fullUrl: url(1), resource: aVkpDetectedIssue() },
          { fullUrl: url(2), resource: second },
          { fullUrl: url(3), resource: aVkpResponseCentreComposition() },
        ),
      ),
    ).toEqual(['DetectedIssue', 'DetectedIssue', 'Composition']);
  });

  it('folds a Composition into the alarm it references when there are two', () => {
    expect(
      plan(
        collection(
          { fullUrl: url(1), resource: aVkpDetectedIssue() },
          { fullUrl: url(2), resource: aVkpDetectedIssue({ alertCode: '4.11' }) },
          { fullUrl: url(3), resource: aVkpResponseCentreComposition({ documents: url(2) }) },
        ),
      ),
    ).toEqual(['DetectedIssue', 'DetectedIssue+Composition']);
  });

  it('makes two visits of two Encounters, and leaves their unlinked note a Note', () => {
    expect(
      plan(
        collection(
          { fullUrl: url(1), resource: aVkpDigitalEncounter() },
          { fullUrl: url(2), resource: aVkpDigitalEncounter() },
          { fullUrl: url(3), resource: aVkpResponseCentreComposition() },
        ),
      ),
    ).toEqual(['Encounter', 'Encounter', 'Composition']);
  });

  it('never makes events of Patient, Device or MessageHeader entries', () => {
    const bundle = aVkpAlarmBundle({ bundleType: 'message' });

    expect(plan(bundle)).toEqual(['DetectedIssue+Composition+Encounter']);
    expect(bundle.entry!.map((entry) => entry.resource?.resourceType)).toEqual(
      expect.arrayContaining(['MessageHeader', 'Patient', 'Device']),
    );
  });
});
