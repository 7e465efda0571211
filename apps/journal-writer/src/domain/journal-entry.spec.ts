import {
  aConsentedEvent,
  aFodselsnummer,
  anEpjIdentifier,
  aPatient,
} from '@knutepunkt/schemas/testing';
import { entryIdOf, journalEntryOf } from './journal-entry';

const now = Date.UTC(2026, 10, 28, 2, 12, 5);
const patientKeyOf = (orgnr: string, identifier: { system: string; value: string }) =>
  `key(${orgnr},${identifier.system},${identifier.value})`;

describe('entryIdOf', () => {
  it('is a version-5 UUID, the same for the same event and different for another', () => {
    const id = entryIdOf('8a4e0c7d-2f51-4b3a-8e9c-6d1f0a2b3c4d');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entryIdOf('8a4e0c7d-2f51-4b3a-8e9c-6d1f0a2b3c4d')).toBe(id);
    expect(entryIdOf('8a4e0c7d-2f51-4b3a-8e9c-6d1f0a2b3c4e')).not.toBe(id);
  });
});

describe('journalEntryOf', () => {
  it("builds the JournalEntry record with its Composition, for the decision's patient", () => {
    const consented = aConsentedEvent();
    const result = journalEntryOf(consented, { now, patientKeyOf });
    if (!result.ok) throw new Error(result.error.code);
    const { record, composition } = result.value;
    expect(record).toMatchObject({
      entryId: entryIdOf(consented.event.eventId),
      eventId: consented.event.eventId,
      submissionId: consented.event.submissionId,
      orgnr: consented.event.orgnr,
      patient: consented.consent.patient,
      kind: 'Alert',
      urgent: true,
      createdAt: now,
      lastUpdated: now,
      category: { code: '1' },
    });
    expect(record.narrative).toContain('Alarm: Fall');
    expect(JSON.parse(record.compositionJson)).toEqual(composition);
    expect(composition.meta?.lastUpdated).toBe(new Date(now).toISOString());
    expect(result.value.vendorClientId).toBe(consented.event.clientId);
  });

  it('indexes the entry under every identifier the registration ties together', () => {
    const fnr = aFodselsnummer(3);
    const consented = aConsentedEvent({
      consent: {
        patient: aPatient({ identifier: fnr }),
        registeredIdentifiers: [fnr, anEpjIdentifier('42')],
      },
    });
    const result = journalEntryOf(consented, { now, patientKeyOf });
    if (!result.ok) throw new Error(result.error.code);
    const orgnr = consented.event.orgnr;
    expect(result.value.patientKeys).toEqual([
      consented.consent.patient.patientKey,
      patientKeyOf(orgnr, fnr),
      patientKeyOf(orgnr, anEpjIdentifier('42')),
    ]);
  });
});
