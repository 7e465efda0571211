import {
  aClientRegistryRecord,
  aConsentState,
  anAcceptedSubmission,
  anAuditRecord,
  aRegistryRecord,
  aStatusChange,
  fixtureIds,
  syntheticFodselsnummer,
} from '@knutepunkt/schemas/testing';
import {
  factFromAccepted,
  factFromAuditRecord,
  factFromConsentState,
  factFromRegistry,
  factFromStatus,
  positionId,
} from './lifecycle-facts';

const position = { topic: 'knutepunkt.status.v1', partition: 2, offset: '41' };

describe('lifecycle facts as audit rows', () => {
  it('keeps an AuditRecord as it is, deduplicated by its auditId', () => {
    const record = anAuditRecord();
    expect(factFromAuditRecord(record)).toMatchObject({
      sourceId: record.auditId,
      action: 'submission.create',
      patientKey: record.patientKey,
      actor: record.actor,
    });
  });

  it('identifies a lifecycle fact by its topic, partition and offset', () => {
    expect(positionId(position)).toBe('knutepunkt.status.v1:2:41');
  });

  it('maps accepted to submission.create by the vendor client, never copying the FHIR body', () => {
    const fnr = syntheticFodselsnummer(3);
    const accepted = anAcceptedSubmission({
      fhirJson: JSON.stringify({ subject: { identifier: { value: fnr } } }),
      patientKey: 'k'.repeat(64),
    });
    const fact = factFromAccepted(accepted, { ...position, topic: 'knutepunkt.accepted.v1' });
    expect(fact).toMatchObject({
      sourceId: 'knutepunkt.accepted.v1:2:41',
      action: 'submission.create',
      actor: { kind: 'vendor', clientId: accepted.clientId, system: accepted.sourceSystem },
      entity: { type: 'Submission', id: accepted.submissionId },
      outcome: 'success',
      orgnr: accepted.orgnr,
      patientKey: 'k'.repeat(64),
      purpose: 'journaling',
      at: accepted.receivedAt,
      requestId: accepted.requestId,
      details: { resourceType: accepted.resourceType, contentHash: accepted.contentHash },
    });
    expect(JSON.stringify(fact)).not.toContain(fnr);
  });

  it('maps status to submission.<stage> by the reporting service, withheld as denied and failed as failed', () => {
    expect(factFromStatus(aStatusChange({ stage: 'delivered' }), position)).toMatchObject({
      action: 'submission.delivered',
      actor: { kind: 'service', system: 'normalizer' },
      entity: { type: 'Submission', id: fixtureIds.submissionId },
      outcome: 'success',
      patientKey: null,
      details: { eventId: fixtureIds.eventId },
    });
    expect(
      factFromStatus(aStatusChange({ stage: 'withheld', reason: 'no registration' }), position),
    ).toMatchObject({ outcome: 'denied', details: { reason: 'no registration' } });
    expect(
      factFromStatus(
        aStatusChange({ stage: 'failed', reason: 'bad', operationOutcomeCode: '2.4' }),
        position,
      ),
    ).toMatchObject({ outcome: 'failed', details: { operationOutcomeCode: '2.4' } });
  });

  it('maps consent changes to consent-state.update under the patient key, or policy.update; never identifiers', () => {
    const state = aConsentState();
    const fact = factFromConsentState(state, position);
    expect(fact).toMatchObject({
      action: 'consent-state.update',
      patientKey: state.patientKey,
      orgnr: state.orgnr,
      purpose: 'administration',
      details: { version: '1', consents: '1', services: 'TA,MD' },
    });
    for (const identifier of state.registration?.identifiers ?? [])
      expect(JSON.stringify(fact)).not.toContain(identifier.value);
    expect(
      factFromConsentState(
        aConsentState({
          patientKey: null,
          registration: null,
          policy: { mode: 'opt-in', holdFor: 'PT1H' },
        }),
        position,
      ),
    ).toMatchObject({ action: 'policy.update', details: { mode: 'opt-in', holdFor: 'PT1H' } });
  });

  it('maps registry records to municipality.update and client.update by the administrator', () => {
    expect(factFromRegistry(aRegistryRecord(), position)).toMatchObject({
      action: 'municipality.update',
      actor: { kind: 'admin', clientId: 'test-admin-client' },
      entity: { type: 'Municipality' },
    });
    expect(factFromRegistry(aClientRegistryRecord(), position)).toMatchObject({
      action: 'client.update',
      entity: { type: 'Client', id: 'test-vendor-client' },
      details: { kind: 'vendor', services: 'TA,MD' },
    });
  });
});
