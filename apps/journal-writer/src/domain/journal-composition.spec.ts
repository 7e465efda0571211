import type { Composition } from '@medplum/fhirtypes';
import { welfareEventBody, welfareEventKinds } from '@knutepunkt/schemas';
import {
  aConsentDecision,
  aFodselsnummer,
  aNote,
  aPatient,
  aWelfareEventOfKind,
  anEpjIdentifier,
  anOriginalResource,
  fixtureIds,
} from '@knutepunkt/schemas/testing';
import {
  type JournalEntryMeta,
  compositionCategoryOf,
  journalComposition,
  originalResourceReference,
} from './journal-composition';
import { narrativeOf } from './narrative';

const occurredAt = Date.UTC(2026, 10, 28, 2, 12);
const meta: JournalEntryMeta = {
  entryId: fixtureIds.entryId,
  lastUpdated: Date.UTC(2026, 10, 28, 2, 12, 5),
  authorSystem: { type: 'Device', display: 'Knutepunkt journalskriver' },
};

function compositionOf(...args: Parameters<typeof journalComposition>): Composition {
  const result = journalComposition(...args);
  if (!result.ok) {
    throw new Error(result.error.code);
  }
  return result.value;
}

describe('journalComposition', () => {
  const event = aWelfareEventOfKind('Alert', {
    occurredAt,
    originalResources: [
      anOriginalResource(),
      anOriginalResource({ resourceType: 'Encounter', id: 'enc-1', fullUrl: null }),
    ],
  });

  it('builds the whole Composition of a fall alarm', () => {
    const narrative = narrativeOf(event);
    expect(compositionOf(event, aConsentDecision(), meta)).toEqual({
      resourceType: 'Composition',
      id: fixtureIds.entryId,
      meta: { lastUpdated: '2026-11-28T02:12:05.000Z' },
      text: { status: 'generated', div: narrative.xhtml },
      status: 'final',
      type: {
        coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }],
        text: 'Velferdsteknologisk hendelse',
      },
      category: [
        {
          coding: [
            {
              system: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-category-v090',
              version: '0.9.0',
              code: '1',
              display: 'Trygghet og mestring',
            },
          ],
        },
      ],
      subject: { type: 'Patient', identifier: aFodselsnummer() },
      date: '2026-11-28T02:12:00.000Z',
      author: [{ type: 'Device', display: 'Knutepunkt journalskriver' }],
      title: 'Fall – trygghetsalarm',
      event: [
        {
          code: [
            {
              coding: [
                {
                  system: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-event-v090',
                  code: '4',
                  display: 'hendelse til utrykning',
                },
              ],
            },
          ],
        },
      ],
      section: [
        {
          title: 'Opprinnelige ressurser',
          entry: [
            {
              reference: 'urn:uuid:0e6b1f5a-9c3d-4e2b-8a7f-1d2c3b4a5e6f',
              display: 'DetectedIssue',
            },
            { reference: 'Encounter/enc-1', display: 'Encounter' },
          ],
        },
      ],
    });
  });

  it("takes the subject from the consent decision (e.g. the EPJ's own identifier)", () => {
    const decision = aConsentDecision({ patient: aPatient({ identifier: anEpjIdentifier() }) });
    expect(compositionOf(event, decision, meta).subject).toEqual({
      type: 'Patient',
      identifier: anEpjIdentifier(),
    });
  });

  it('falls back to the event patient without a decision, and fails as a value with neither', () => {
    expect(compositionOf(event, undefined, meta).subject?.identifier).toEqual(aFodselsnummer());
    const result = journalComposition({ ...event, patient: null }, undefined, meta);
    expect(result).toEqual({
      ok: false,
      error: { code: 'JOURNAL.NO_PATIENT', message: expect.any(String) as unknown },
    });
  });

  it('puts the national identity number in the subject and nowhere else', () => {
    const fodselsnummer = aFodselsnummer().value;
    for (const kind of welfareEventKinds) {
      const composition = compositionOf(aWelfareEventOfKind(kind, { occurredAt }), undefined, meta);
      const json = JSON.stringify(composition);
      expect(json.split(fodselsnummer).length - 1).toBe(1);
      expect(composition.subject?.identifier?.value).toBe(fodselsnummer);
    }
  });

  it('mentions a device-loan attribution in the narrative', () => {
    const decision = aConsentDecision({ attributedViaDevice: true });
    expect(compositionOf({ ...event, patient: null }, decision, meta).text?.div).toContain(
      'Pasienten er funnet via utlån av enheten.',
    );
  });
});

describe('compositionCategoryOf', () => {
  it('is digital hjemmeoppfølging (2) for DHO and trygghet og mestring (1) otherwise', () => {
    expect(compositionCategoryOf(aWelfareEventOfKind('Measurement'))).toBe('2');
    expect(compositionCategoryOf(aWelfareEventOfKind('QuestionnaireAnswer'))).toBe('2');
    expect(compositionCategoryOf(aWelfareEventOfKind('Alert', { service: 'DHO' }))).toBe('2');
    for (const kind of ['MedicationDispensing', 'Alert', 'DigitalVisit', 'Location'] as const) {
      expect(compositionCategoryOf(aWelfareEventOfKind(kind))).toBe('1');
    }
  });

  it("keeps a note's own VKP category, and ignores one from another system", () => {
    const dhoNote = aNote({
      category: {
        system: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-category-v090',
        code: '2',
        display: null,
      },
    });
    expect(
      compositionCategoryOf(
        aWelfareEventOfKind('Note', { body: welfareEventBody('Note', dhoNote) }),
      ),
    ).toBe('2');
    const foreign = aNote({ category: { system: 'urn:other', code: '2', display: null } });
    expect(
      compositionCategoryOf(
        aWelfareEventOfKind('Note', { body: welfareEventBody('Note', foreign) }),
      ),
    ).toBe('1');
  });
});

describe('originalResourceReference', () => {
  it('prefers fullUrl, then Type/id, then names only the type', () => {
    expect(originalResourceReference(anOriginalResource())).toEqual({
      reference: 'urn:uuid:0e6b1f5a-9c3d-4e2b-8a7f-1d2c3b4a5e6f',
      display: 'DetectedIssue',
    });
    expect(originalResourceReference(anOriginalResource({ fullUrl: null }))).toEqual({
      reference: 'DetectedIssue/detectedissue-1',
      display: 'DetectedIssue',
    });
    expect(originalResourceReference(anOriginalResource({ fullUrl: null, id: null }))).toEqual({
      display: 'DetectedIssue uten id',
    });
  });

  it('drops a reference whose id is a national identity number', () => {
    const patientWithFnrId = anOriginalResource({
      resourceType: 'Patient',
      id: aFodselsnummer().value,
      fullUrl: null,
    });
    expect(originalResourceReference(patientWithFnrId)).toEqual({
      display: 'Patient (id fjernet)',
    });
  });
});
