import { vkpAlertCodes, vkpCompositionEvents, vkpSeverityLevels } from '@knutepunkt/fhir';
import {
  aVkpAlarmBundle,
  aVkpDetectedIssue,
  aVkpLegacyFlag,
  vkpAlarmFullUrls,
  vkpDeviceIdentifier,
  vkpExtensionUrls,
  vkpFixtureSystems,
  vkpFixtureTimes,
  vkpPatientIdentifier,
} from '@knutepunkt/fhir/testing';
import type { Bundle, DetectedIssue } from '@medplum/fhirtypes';
import { retiredFlagCodes } from './map-alert';
import { bodyOf, errorOf, eventsOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';

describe('an alarm Bundle (DetectedIssue + Encounter + Composition) → one Alert', () => {
  it.each(['document', 'collection', 'message'] as const)(
    'makes one event of a %s Bundle',
    (bundleType) => {
      const events = eventsOf(aVkpAlarmBundle({ bundleType }));

      expect(events).toHaveLength(1);
      expect(invalidAvroPaths(events[0]!)).toEqual([]);
    },
  );

  it('carries the alert code, the detail and the response centre’s note', () => {
    const event = onlyEventOf(aVkpAlarmBundle());

    expect(bodyOf(event, 'Alert')).toEqual({
      code: { system: vkpAlertCodes.url, code: '4.1', display: 'Fall' },
      sourceResourceType: 'DetectedIssue',
      status: 'final',
      detail: 'Fallsensor utløst på soverommet',
      eventCode: {
        system: vkpCompositionEvents.url,
        code: '4',
        display: 'hendelse til utrykning',
      },
      text:
        'Fallalarm fra soverommet. Bruker svarte i toveis tale og hadde falt ved sengen.\n\n' +
        'Hjemmetjenesten rykket ut kl. 09:31.\nBruker hjulpet opp, ingen synlige skader.',
    });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.alarmRaised));
  });

  it('takes the handling step reached from the latest Composition.event by time, not by order', () => {
    const bundle = aVkpAlarmBundle();
    const composition = bundle.entry![0]!.resource as { event: { period: { start: string } }[] };
    // The responder step is now listed first but still happened last.
    composition.event.reverse();

    expect(bodyOf(onlyEventOf(bundle), 'Alert').eventCode?.code).toBe('4');
  });

  it('writes the severity with the code system URL, not the value-set URL the profile fixes', () => {
    const event = onlyEventOf(aVkpAlarmBundle({ severity: '40' }));

    expect(event.severity).toEqual({
      system: vkpSeverityLevels.url,
      code: '40',
      display: 'Kritisk',
    });
  });

  it('takes the sensor from DetectedIssue.author → Device, skipping its empty IMEI', () => {
    const event = onlyEventOf(aVkpAlarmBundle());

    expect(event.device).toEqual({
      id: 'device-0001',
      identifier: vkpDeviceIdentifier('SN-000123'),
      type: { codings: [], text: 'Fallsensor' },
      vendor: 'Testleverandør AS',
      model: 'TA-100 fallsensor',
    });
  });

  it('carries every resource it was built from, in entry order', () => {
    const event = onlyEventOf(aVkpAlarmBundle());

    expect(
      event.originalResources.map((resource) => [resource.resourceType, resource.fullUrl]),
    ).toEqual([
      ['Composition', vkpAlarmFullUrls.composition],
      ['DetectedIssue', vkpAlarmFullUrls.detectedIssue],
      ['Encounter', vkpAlarmFullUrls.encounter],
      ['Device', vkpAlarmFullUrls.device],
    ]);
    expect(JSON.parse(event.originalResources[1]!.json)).toEqual(
      aVkpAlarmBundle().entry![1]!.resource,
    );
  });

  it('makes one alert per DetectedIssue when a Bundle has two, each with the note that references it', () => {
    const bundle = aVkpAlarmBundle({ withoutEncounter: true });
    const second = aVkpDetectedIssue({ alertCode: '4.11', alertDisplay: 'Brannalarm' });
    second.id = 'di-0002';
    bundle.entry!.push({
      fullUrl: 'urn:uuid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
      resource: second,
    });

    const events = eventsOf(bundle);

    expect(events.map((event) => bodyOf(event, 'Alert').code.code)).toEqual(['4.1', '4.11']);
    expect(events.map((event) => bodyOf(event, 'Alert').text !== null)).toEqual([true, false]);
  });

  it('reads NHN’s sample shape: alert 7 in a document, a running-number patient, a transmitter id', () => {
    const sampleIssue: DetectedIssue = {
      resourceType: 'DetectedIssue',
      status: 'final',
      code: {
        coding: [{ system: vkpFixtureSystems.alert, code: '7' }],
        text: '300 - Trygghetsalarm',
      },
      patient: {
        identifier: { system: 'https://epj.knutepunkt.test/lopenummer', value: '1302' },
      },
      identifiedDateTime: '2024-07-03T08:35:32Z',
      author: { reference: 'urn:uuid:36f4fcb1-1d2f-43d3-b267-301a3f0d348a' },
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      identifier: { system: 'Skyresponse:GlobalAlarmId', value: 'B65B90BA7EF000120240703083502' },
      type: 'document',
      timestamp: '2024-07-03T08:36:37.1678092+00:00',
      entry: [
        {
          fullUrl: 'urn:uuid:aa6d7c97-5f20-48ab-a564-8508fa302ede',
          resource: {
            resourceType: 'Composition',
            status: 'final',
            type: {
              coding: [{ system: vkpFixtureSystems.alert, code: '7' }],
              text: 'Trygghetsalarm',
            },
            category: [{ coding: [{ system: vkpFixtureSystems.compositionCategory, code: '1' }] }],
            subject: {
              identifier: { system: 'https://epj.knutepunkt.test/lopenummer', value: '1302' },
            },
            date: '2024-07-03T08:36:37Z',
            author: [{ display: 'Operatør' }],
            title: 'Alarm id: B65B90BA7EF000120240703083502',
            event: [
              {
                code: [{ coding: [{ system: vkpFixtureSystems.compositionEvent, code: '0' }] }],
                period: { start: '2024-07-03T08:35:32Z' },
              },
              {
                code: [{ coding: [{ system: vkpFixtureSystems.compositionEvent, code: '3' }] }],
                period: { start: '2024-07-03T08:36:23Z' },
              },
            ],
            section: [
              {
                title: 'Alarm info',
                code: { coding: [{ system: vkpFixtureSystems.compositionSection, code: '2' }] },
                text: {
                  status: 'generated',
                  div: '<div xmlns="http://www.w3.org/1999/xhtml">GlobalAlarmId: B65B90BA7EF000120240703083502.</div>',
                },
                entry: [{ reference: 'urn:uuid:8db10249-9139-43a8-9e19-4bc9619aaddc' }],
              },
            ],
          },
        },
        { fullUrl: 'urn:uuid:8db10249-9139-43a8-9e19-4bc9619aaddc', resource: sampleIssue },
        {
          fullUrl: 'urn:uuid:36f4fcb1-1d2f-43d3-b267-301a3f0d348a',
          resource: {
            resourceType: 'Device',
            identifier: [
              { system: 'https://fhir.vkp.com/system-codes/IMEI', value: '' },
              { system: 'Skyresponse:TransmitterIdentifier', value: 'C02_00867G_0_4627' },
            ],
            serialNumber: 'C02_00756d_0_4627',
            deviceName: [{ name: 'GPT3-WTRSB', type: 'model-name' }],
          },
        },
      ],
    };

    const event = onlyEventOf(bundle);

    expect(event).toMatchObject({
      service: 'TA',
      urgent: true,
      patient: { identifier: { system: 'https://epj.knutepunkt.test/lopenummer', value: '1302' } },
      device: {
        identifier: { system: 'Skyresponse:TransmitterIdentifier', value: 'C02_00867G_0_4627' },
        model: 'GPT3-WTRSB',
      },
    });
    expect(bodyOf(event, 'Alert')).toMatchObject({
      code: { code: '7', display: 'Sykesignalanlegg' },
      eventCode: { code: '3' },
      text: 'GlobalAlarmId: B65B90BA7EF000120240703083502.',
    });
  });
});

describe('a DetectedIssue on its own', () => {
  it.each(vkpAlertCodes.concepts.map((concept) => concept.code))(
    'maps alert code %s to a valid Alert event with a service',
    (code) => {
      const event = onlyEventOf(aVkpDetectedIssue({ alertCode: code, severity: null }));

      expect(bodyOf(event, 'Alert').code).toEqual({
        system: vkpAlertCodes.url,
        code,
        display: vkpAlertCodes.display(code),
      });
      expect(['TA', 'GPS', 'MD', 'DT', 'DHO']).toContain(event.service);
      expect(invalidAvroPaths(event)).toEqual([]);
    },
  );

  it('reads triage from a vkp-triage-v090 coding', () => {
    const event = onlyEventOf(aVkpDetectedIssue({ alertCode: '4.9', severity: '10', triage: 'O' }));

    expect(event.triage).toEqual({
      system: vkpFixtureSystems.triage,
      code: 'O',
      display: 'orange',
    });
    expect(event.urgent).toBe(true);
  });

  it.each([
    ['Rød', 'R'],
    ['gul', 'Y'],
    [' Grønn ', 'G'],
  ])('reads a detail that is only the colour %j as triage %s', (detail, code) => {
    expect(onlyEventOf(aVkpDetectedIssue({ detail })).triage?.code).toBe(code);
  });

  it('does not read a colour word inside a longer detail as triage', () => {
    expect(
      onlyEventOf(aVkpDetectedIssue({ detail: 'Rød lampe blinker på dispenseren' })).triage,
    ).toBeNull();
  });

  it('takes the time from identifiedPeriod when there is no identifiedDateTime', () => {
    const issue = aVkpDetectedIssue();
    delete issue.identifiedDateTime;
    issue.identifiedPeriod = { start: '2025-01-15T09:00:00+01:00' };

    expect(onlyEventOf(issue).occurredAt).toBe(Date.parse('2025-01-15T09:00:00+01:00'));
  });

  it('falls back to the time ingest received it when the alarm has no time', () => {
    const issue = aVkpDetectedIssue();
    delete issue.identifiedDateTime;

    const event = onlyEventOf(issue, { receivedAt: 1_736_930_000_000 });

    expect(event.occurredAt).toBe(1_736_930_000_000);
  });

  it('fails without a code', () => {
    const issue = aVkpDetectedIssue() as Partial<DetectedIssue> & { resourceType: 'DetectedIssue' };
    delete issue.code;

    expect(errorOf(issue)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'DetectedIssue.code',
    });
  });

  it('fails on an alert code the code system does not have', () => {
    expect(errorOf(aVkpDetectedIssue({ alertCode: '4.99' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'DetectedIssue.code.coding[0].code',
    });
  });

  it('fails on a code in another system only', () => {
    const issue = aVkpDetectedIssue();
    issue.code = { coding: [{ system: 'http://example.org/alarms', code: 'FALL' }] };

    expect(errorOf(issue)).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'DetectedIssue.code.coding',
    });
  });

  it('fails on an unknown severity level', () => {
    expect(errorOf(aVkpDetectedIssue({ severity: '35' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'DetectedIssue.extension[0].valueCodeableConcept.coding[0].code',
    });
  });

  it('fails on an unknown triage code', () => {
    expect(errorOf(aVkpDetectedIssue({ triage: 'P' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'DetectedIssue.code.coding[1].code',
    });
  });

  it('accepts the severity as a Coding, which some vendors send', () => {
    const issue = aVkpDetectedIssue({ severity: null });
    issue.extension = [
      {
        url: vkpExtensionUrls.severityLevel,
        valueCoding: { system: vkpFixtureSystems.severityLevel, code: '20' },
      },
    ];

    expect(onlyEventOf(issue).severity?.code).toBe('20');
  });
});

describe('the retired Flag → Alert', () => {
  // vkp-flag-code-v090 as the VKP repository last held it (code → display).
  const retiredDisplays: Readonly<Record<string, string>> = {
    '0': 'Oppsummerende varsel',
    '1': 'Handling utført',
    '1.1': 'Måledata rapportert',
    '1.2': 'Skjemabesvarelse',
    '1.3': 'Annen handling utført',
    '2': 'Inaktiv pasient',
    '2.1': 'Manglende skjemabesvarelse',
    '2.2': 'Måling ikke rapportert',
    '4': 'pasientvarsling',
    '4.1': 'fall',
    '4.2': 'forlatt_sengen',
    '4.3': 'satt_seg_opp_seng',
    '4.4': 'reist_seg_fra_stol',
    '4.5': 'kommet_inn_rom',
    '4.6': 'forlatt_rom',
    '4.7': 'uventet_langt_opphold',
    '4.8': 'aktivitet_rom',
    '4.9': 'inaktivitet',
    '4.10': 'høyt_lydnivå',
    '4.11': 'brannalarm',
    '4.12': 'fravær',
    '4.13': 'knappetrykk',
    '4.14': 'snortrekk',
    '4.15': 'dør_åpnet',
    '4.16': 'dør_lukket',
    '4.17': 'vannalarm',
    '4.18': 'bevegelse',
    '4.19': 'manglende_bevegelse',
    '4.20': 'lagt_seg_seng',
    '4.21': 'forlatt_bolig',
    '4.22': 'mislykket_brukeranrop',
    '4.23': 'inaktivitet_bad',
  };

  it('maps every retired flag code', () => {
    expect(Object.keys(retiredFlagCodes).sort()).toEqual(Object.keys(retiredDisplays).sort());
  });

  it.each(Object.entries(retiredFlagCodes).filter(([code]) => code !== '4'))(
    'maps retired flag code %s to alert code %s of the same meaning',
    (retired, alert) => {
      const meaning = (text: string) => text.replace(/_/g, ' ').toLowerCase();

      expect(meaning(vkpAlertCodes.display(alert))).toBe(meaning(retiredDisplays[retired]!));
    },
  );

  it('maps a Flag with its severity, its text as detail and period.start as the time', () => {
    const event = onlyEventOf(aVkpLegacyFlag());

    expect(bodyOf(event, 'Alert')).toEqual({
      code: { system: vkpAlertCodes.url, code: '5.3.2', display: 'Måling ikke rapportert' },
      sourceResourceType: 'Flag',
      status: 'active',
      detail: 'Blodtrykk er ikke målt de siste to døgnene',
      eventCode: null,
      text: null,
    });
    expect(event).toMatchObject({ service: 'DHO', urgent: false, severity: { code: '20' } });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.flagRaised));
  });

  it('maps a Flag that already uses the alert code system', () => {
    const event = onlyEventOf(aVkpLegacyFlag({ alertCode: '4.11', severity: '40' }));

    expect(bodyOf(event, 'Alert').code.code).toBe('4.11');
    expect(event.urgent).toBe(true);
  });

  it('fails on a retired flag code that never existed', () => {
    expect(errorOf(aVkpLegacyFlag({ flagCode: '3' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'Flag.code.coding[0].code',
    });
  });

  it('attributes the Flag to its patient', () => {
    const patient = vkpPatientIdentifier(12);

    expect(onlyEventOf(aVkpLegacyFlag({ patient })).patient?.identifier).toEqual(patient);
  });
});
