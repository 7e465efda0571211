import { orgnrWithCheckDigit, syntheticFodselsnummer } from '@knutepunkt/schemas/testing';

export const benchOrgnr = orgnrWithCheckDigit('92123456');

/**
 * A safety-alarm message as a response centre sends it: DetectedIssue + Encounter +
 * Composition + Patient + Device in one collection Bundle, about 3 KiB, synthetic patient.
 */
export function alarmBundle(sequence: number): string {
  const patient = {
    system: 'urn:oid:2.16.578.1.12.4.1.4.1',
    value: syntheticFodselsnummer(sequence % 5000),
  };
  const at = new Date(Date.UTC(2026, 10, 28, 2, 0, sequence % 60)).toISOString();
  const entry = (resource: Record<string, unknown>, id: string) => ({
    fullUrl: `urn:uuid:${id}`,
    resource,
  });
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    identifier: {
      system: 'urn:ietf:rfc:3986',
      value: `urn:uuid:00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    },
    timestamp: at,
    entry: [
      entry(
        {
          resourceType: 'Patient',
          identifier: [patient],
          name: [{ family: 'Testesen', given: ['Kari'] }],
        },
        'a1b2c3d4-0000-4000-8000-000000000001',
      ),
      entry(
        {
          resourceType: 'Device',
          identifier: [
            { system: 'https://vendor.example/serienummer', value: `TA-${sequence % 1000}` },
          ],
          type: {
            coding: [
              { system: 'http://snomed.info/sct', code: '706172005', display: 'Trygghetsalarm' },
            ],
          },
          manufacturer: 'Eksempel Alarm AS',
        },
        'a1b2c3d4-0000-4000-8000-000000000002',
      ),
      entry(
        {
          resourceType: 'DetectedIssue',
          status: 'final',
          code: {
            coding: [
              {
                system: 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090',
                code: '4',
                display: 'Alarmknapp',
              },
            ],
          },
          severity: 'high',
          patient: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000001' },
          identifiedDateTime: at,
          implicated: [{ reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000002' }],
          detail: 'Brukeren utløste trygghetsalarmen fra soverommet.',
        },
        'a1b2c3d4-0000-4000-8000-000000000003',
      ),
      entry(
        {
          resourceType: 'Encounter',
          status: 'finished',
          class: {
            system: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-class-v090',
            code: '1',
            display: 'Digitalt tilsyn',
          },
          subject: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000001' },
          period: { start: at, end: at },
          reasonCode: [{ text: 'Alarm mottatt og håndtert av responssenteret' }],
        },
        'a1b2c3d4-0000-4000-8000-000000000004',
      ),
      entry(
        {
          resourceType: 'Composition',
          status: 'final',
          type: {
            coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }],
          },
          subject: { reference: 'urn:uuid:a1b2c3d4-0000-4000-8000-000000000001' },
          date: at,
          author: [{ display: 'Responssenter Eksempel' }],
          title: 'Trygghetsalarm utløst',
          section: [
            {
              title: 'Tiltak',
              text: {
                status: 'generated',
                div: '<div xmlns="http://www.w3.org/1999/xhtml">Responssenteret ringte brukeren, som hadde falt men ikke var skadet. Hjemmetjenesten ble varslet og var på stedet etter 18 minutter. Brukeren ble hjulpet opp i sengen; ingen videre tiltak.</div>',
              },
            },
          ],
        },
        'a1b2c3d4-0000-4000-8000-000000000005',
      ),
    ],
  });
}
