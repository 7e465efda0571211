import {
  type WelfareEvent,
  type WelfareService,
  welfareEventBody,
  welfareEventKinds,
} from '@knutepunkt/schemas';
import {
  aDevice,
  aFodselsnummer,
  aLocation,
  aMeasurement,
  aMedicationDispensing,
  aNote,
  aQuestionnaireAnswer,
  aWelfareEventOfKind,
  anAlert,
  aDigitalVisit,
} from '@knutepunkt/schemas/testing';
import { narrativeOf, redactIdentityNumbers, serviceNames } from './narrative';

/** 2026-11-28T02:12:00Z: 03:12 in Oslo (winter time). */
const occurredAt = Date.UTC(2026, 10, 28, 2, 12);
const minutes = (count: number): number => count * 60 * 1000;

const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';
const vkpSeverity = 'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090';
const vkpDispense = 'http://ehelse.no/fhir/CodeSystem/vkp-medicationdispense-events-v090';
const vkpAlert = 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090';
const vkpEncounterClass = 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-class-v090';
const vkpEncounterReason = 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-reason-v090';

const dispenser = aDevice({
  type: { codings: [], text: 'Medisindispenser' },
  vendor: 'Doseringsfirma AS',
  model: 'MD-7',
  identifier: { system: 'https://vendor.knutepunkt.test/fhir/sid/serienummer', value: 'MD-0042' },
});

interface GoldenExample {
  readonly name: string;
  readonly event: WelfareEvent;
  readonly title: string;
  readonly text: string;
}

/** The golden examples; docs/journal-narratives.md shows the same table. */
const goldenExamples: readonly GoldenExample[] = [
  {
    name: 'medication dispensed',
    event: aWelfareEventOfKind('MedicationDispensing', {
      occurredAt,
      device: dispenser,
      body: welfareEventBody(
        'MedicationDispensing',
        aMedicationDispensing({ plannedAt: occurredAt - minutes(2), handedOverAt: occurredAt }),
      ),
    }),
    title: 'Medisin utlevert uassistert – medisindispenser',
    text: [
      'Medisin utlevert uassistert (Multidose pose, morgen) 28.11.2026 kl. 03:12, medisindispenser.',
      'Planlagt kl. 03:10.',
      'Utlevert kl. 03:12.',
      'Enhet: Medisindispenser Doseringsfirma AS MD-7 (serienr. MD-0042).',
    ].join('\n'),
  },
  {
    name: 'missed dose',
    event: aWelfareEventOfKind('MedicationDispensing', {
      occurredAt,
      device: dispenser,
      severity: { system: vkpSeverity, code: '20', display: 'Moderat' },
      body: welfareEventBody(
        'MedicationDispensing',
        aMedicationDispensing({
          status: 'declined',
          statusReason: { codings: [], text: 'Bruker tok ikke posen innen 60 minutter' },
          plannedAt: occurredAt,
          handedOverAt: null,
        }),
      ),
    }),
    title: 'Medisin ikke utlevert – medisindispenser',
    text: [
      'Medisin ikke utlevert (Multidose pose, morgen) 28.11.2026 kl. 03:12, medisindispenser.',
      'Alvorlighetsgrad: Moderat.',
      'Status: avslått. Årsak: Bruker tok ikke posen innen 60 minutter.',
      'Planlagt kl. 03:12.',
      'Enhet: Medisindispenser Doseringsfirma AS MD-7 (serienr. MD-0042).',
    ].join('\n'),
  },
  {
    name: 'as-needed medication',
    event: aWelfareEventOfKind('MedicationDispensing', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'MedicationDispensing',
        aMedicationDispensing({
          event: { system: vkpDispense, code: '1.3', display: null },
          medication: { codings: [], text: 'Paracet 500 mg' },
          plannedAt: null,
          handedOverAt: occurredAt,
          dosageText: 'Ved behov, inntil 4 ganger i døgnet',
        }),
      ),
    }),
    title: 'Behovsmedisin utlevert – medisindispenser',
    text: [
      'Behovsmedisin utlevert (Paracet 500 mg) 28.11.2026 kl. 03:12, medisindispenser.',
      'Utlevert kl. 03:12.',
      'Dosering: Ved behov, inntil 4 ganger i døgnet.',
    ].join('\n'),
  },
  {
    name: 'fall alarm with the response centre note',
    event: aWelfareEventOfKind('Alert', { occurredAt }),
    title: 'Fall – trygghetsalarm',
    text: [
      'Alarm: Fall 28.11.2026 kl. 03:12, trygghetsalarm.',
      'Alvorlighetsgrad: Alvorlig.',
      'Detaljer: Fallsensor utløst på soverommet.',
      'Responssenter: hendelse til utrykning.',
      'Responssenterets notat: Responssenteret fikk ikke kontakt og sendte hjemmetjenesten.',
      'Enhet: Trygghetsalarm Testleverandør AS TA-100 (serienr. SN-000123).',
    ].join('\n'),
  },
  {
    name: 'fire alarm without a note, display from the VKP code system',
    event: aWelfareEventOfKind('Alert', {
      occurredAt,
      severity: { system: vkpSeverity, code: '40', display: null },
      body: welfareEventBody(
        'Alert',
        anAlert({
          code: { system: vkpAlert, code: '4.11', display: null },
          detail: null,
          eventCode: null,
          text: null,
        }),
      ),
    }),
    title: 'Brannalarm – trygghetsalarm',
    text: [
      'Alarm: Brannalarm 28.11.2026 kl. 03:12, trygghetsalarm.',
      'Alvorlighetsgrad: Kritisk.',
      'Enhet: Trygghetsalarm Testleverandør AS TA-100 (serienr. SN-000123).',
    ].join('\n'),
  },
  {
    name: 'digital visit (camera look-in)',
    event: aWelfareEventOfKind('DigitalVisit', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'DigitalVisit',
        aDigitalVisit({ start: occurredAt, end: occurredAt + minutes(2) }),
      ),
    }),
    title: 'Bildetilsyn – digitalt tilsyn',
    text: [
      'Bildetilsyn (planlagt tilsyn) 28.11.2026 kl. 03:12, digitalt tilsyn.',
      'Varighet: kl. 03:12–03:14. Status: avsluttet.',
      'Notat: Bruker sov. Alt i orden.',
    ].join('\n'),
  },
  {
    name: 'digital visit (two-way voice, event-based, ongoing)',
    event: aWelfareEventOfKind('DigitalVisit', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'DigitalVisit',
        aDigitalVisit({
          visitClass: { system: vkpEncounterClass, code: '2', display: null },
          reason: { system: vkpEncounterReason, code: '2', display: null },
          status: 'in-progress',
          start: occurredAt,
          end: null,
          text: null,
        }),
      ),
    }),
    title: 'Toveis tale – digitalt tilsyn',
    text: [
      'Toveis tale (hendelsesbasert tilsyn) 28.11.2026 kl. 03:12, digitalt tilsyn.',
      'Varighet: kl. 03:12. Status: pågår.',
    ].join('\n'),
  },
  {
    name: 'blood pressure',
    event: aWelfareEventOfKind('Measurement', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'Measurement',
        aMeasurement({
          components: [
            {
              code: { system: loinc, code: '8480-6', display: 'Systolic blood pressure' },
              value: { value: 135, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
              valueText: null,
            },
            {
              code: { system: loinc, code: '8462-4', display: 'Diastolic blood pressure' },
              value: { value: 85, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
              valueText: null,
            },
          ],
        }),
      ),
    }),
    title: 'Blodtrykk 135/85 mmHg – digital hjemmeoppfølging',
    text: 'Blodtrykk: 135/85 mmHg, målt 28.11.2026 kl. 03:12, digital hjemmeoppfølging.',
  },
  {
    name: 'body temperature, preliminary, decimal comma',
    event: aWelfareEventOfKind('Measurement', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'Measurement',
        aMeasurement({
          code: { system: loinc, code: '8310-5', display: 'Body temperature' },
          status: 'preliminary',
          value: { value: 38.25, unit: null, system: ucum, code: 'Cel' },
          components: [],
        }),
      ),
    }),
    title: 'Kroppstemperatur 38,25 °C – digital hjemmeoppfølging',
    text: [
      'Kroppstemperatur: 38,25 °C, målt 28.11.2026 kl. 03:12, digital hjemmeoppfølging.',
      'Status: foreløpig.',
    ].join('\n'),
  },
  {
    name: 'GPS position',
    event: aWelfareEventOfKind('Location', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'Location',
        aLocation({ zone: 'Trondheim|Midtbyen|Sone 3|Bakklandet' }),
      ),
    }),
    title: 'Posisjon – lokaliseringsteknologi (GPS)',
    text: [
      'Posisjon 63.43050, 10.39510 (nøyaktighet ±13 m) 28.11.2026 kl. 03:12, lokaliseringsteknologi (GPS).',
      'Sone: Trondheim|Midtbyen|Sone 3|Bakklandet.',
    ].join('\n'),
  },
  {
    name: 'response centre note',
    event: aWelfareEventOfKind('Note', { occurredAt, device: null }),
    title: 'Alarm kvittert – trygghetsalarm',
    text: [
      'Notat (Trygghet og mestring) 28.11.2026 kl. 03:12, trygghetsalarm: Alarm kvittert.',
      'Hendelse: hendelse kvittert.',
      'Bruker trykket på alarmknappen ved et uhell. Ingen tiltak nødvendig.',
      'Skrevet av: Test Responssenter.',
    ].join('\n'),
  },
  {
    name: 'questionnaire answer',
    event: aWelfareEventOfKind('QuestionnaireAnswer', {
      occurredAt,
      device: null,
      body: welfareEventBody(
        'QuestionnaireAnswer',
        aQuestionnaireAnswer({
          items: [
            { linkId: '1', text: 'Hvordan er pusten i dag?', answers: ['Som vanlig'] },
            { linkId: '2', text: 'Har du hoste?', answers: ['true'] },
            { linkId: '3', text: null, answers: [] },
          ],
        }),
      ),
    }),
    title: 'Skjemasvar – digital hjemmeoppfølging',
    text: [
      'Skjemasvar 28.11.2026 kl. 03:12, digital hjemmeoppfølging.',
      'Hvordan er pusten i dag? Som vanlig.',
      'Har du hoste? Ja.',
      'Spørsmål 3 ikke besvart.',
    ].join('\n'),
  },
];

describe('narrativeOf: golden examples', () => {
  it.each(goldenExamples)('$name', ({ event, title, text }) => {
    const narrative = narrativeOf(event);
    expect(narrative.title).toBe(title);
    expect(narrative.text).toBe(text);
  });

  it('has a golden example for every kind', () => {
    const kinds = new Set(goldenExamples.map(({ event }) => Object.keys(event.body)[0]));
    expect(kinds.size).toBe(welfareEventKinds.length);
  });
});

describe('narrativeOf: properties', () => {
  const services: readonly WelfareService[] = ['TA', 'GPS', 'MD', 'DT', 'DHO'];
  // Every 13 h 7 min from 1 January 2026 for 14 months: every hour of the day, both 2026
  // summer-time switches.
  const instants = Array.from(
    { length: 800 },
    (_, index) => Date.UTC(2026, 0, 1) + index * minutes(13 * 60 + 7),
  );
  const osloDate = new Intl.DateTimeFormat('nb-NO', {
    timeZone: 'Europe/Oslo',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });

  it('names the Oslo date, the time and the service for every kind, service and instant', () => {
    for (const [index, at] of instants.entries()) {
      const kind = welfareEventKinds[index % welfareEventKinds.length] ?? 'Alert';
      const service = services[index % services.length] ?? 'TA';
      const { text, xhtml } = narrativeOf(aWelfareEventOfKind(kind, { occurredAt: at, service }));
      const [firstLine = ''] = text.split('\n');
      expect(firstLine).toContain(`${osloDate.format(at)} kl. `);
      expect(firstLine).toMatch(/ kl\. ([01]\d|2[0-3]):[0-5]\d/);
      expect(firstLine).toContain(serviceNames[service]);
      expect(xhtml.startsWith('<div xmlns="http://www.w3.org/1999/xhtml"><p>')).toBe(true);
    }
  });

  it('renders the switch to summer time on both sides (00:30 UTC = 01:30, 01:30 UTC = 03:30)', () => {
    const before = narrativeOf(
      aWelfareEventOfKind('Alert', { occurredAt: Date.UTC(2026, 2, 29, 0, 30) }),
    );
    const after = narrativeOf(
      aWelfareEventOfKind('Alert', { occurredAt: Date.UTC(2026, 2, 29, 1, 30) }),
    );
    expect(before.text).toContain('29.03.2026 kl. 01:30');
    expect(after.text).toContain('29.03.2026 kl. 03:30');
  });

  it('renders both passes of the repeated autumn hour as 02:30', () => {
    const first = narrativeOf(
      aWelfareEventOfKind('Alert', { occurredAt: Date.UTC(2026, 9, 25, 0, 30) }),
    );
    const second = narrativeOf(
      aWelfareEventOfKind('Alert', { occurredAt: Date.UTC(2026, 9, 25, 1, 30) }),
    );
    expect(first.text).toContain('25.10.2026 kl. 02:30');
    expect(second.text).toContain('25.10.2026 kl. 02:30');
  });

  it('escapes vendor text in the xhtml and keeps it verbatim in the text', () => {
    const hostile = '<script>alert("x")</script> & co';
    const event = aWelfareEventOfKind('Alert', {
      occurredAt,
      body: welfareEventBody('Alert', anAlert({ detail: hostile, text: null })),
    });
    const { text, xhtml } = narrativeOf(event);
    expect(text).toContain('Detaljer: <script>alert("x")</script> & co.');
    expect(xhtml).toContain(
      'Detaljer: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co.',
    );
    expect(xhtml).not.toContain('<script');
  });

  it('keeps every text line as exactly one xhtml paragraph', () => {
    for (const { event } of goldenExamples) {
      const { text, xhtml } = narrativeOf(event);
      expect(xhtml.match(/<p>/g)?.length).toBe(text.split('\n').length);
    }
  });

  it('omits severity when it is absent or "Ikke rapportert" (0)', () => {
    for (const severity of [null, { system: vkpSeverity, code: '0', display: 'Ikke rapportert' }]) {
      const { text } = narrativeOf(aWelfareEventOfKind('Alert', { occurredAt, severity }));
      expect(text).not.toContain('Alvorlighetsgrad');
    }
  });

  it('says when the patient was found through a device loan', () => {
    const event = aWelfareEventOfKind('Alert', { occurredAt, patient: null });
    expect(narrativeOf(event, { attributedViaDevice: true }).text).toContain(
      'Pasienten er funnet via utlån av enheten.',
    );
    expect(narrativeOf(event).text).not.toContain('utlån');
  });

  it('never repeats a national identity number that vendor text carries', () => {
    const fodselsnummer = aFodselsnummer(7).value;
    const event = aWelfareEventOfKind('Note', {
      occurredAt,
      body: welfareEventBody(
        'Note',
        aNote({ title: `Notat om ${fodselsnummer}`, text: `Gjelder ${fodselsnummer}.` }),
      ),
    });
    const { title, text, xhtml } = narrativeOf(event);
    for (const shown of [title, text, xhtml]) {
      expect(shown).not.toContain(fodselsnummer);
      expect(shown).toContain('[personnummer fjernet]');
    }
  });
});

describe('redactIdentityNumbers', () => {
  it('replaces an 11-digit run that is a valid identity number', () => {
    const fodselsnummer = aFodselsnummer(3).value;
    expect(redactIdentityNumbers(`pasient ${fodselsnummer}, rom 12`)).toBe(
      'pasient [personnummer fjernet], rom 12',
    );
  });

  it('keeps 11-digit runs with wrong check digits, longer runs and phone numbers', () => {
    const fodselsnummer = aFodselsnummer(3).value;
    const broken = `${fodselsnummer.slice(0, 10)}${String((Number(fodselsnummer[10]) + 1) % 10)}`;
    expect(redactIdentityNumbers(broken)).toBe(broken);
    expect(redactIdentityNumbers(`${fodselsnummer}0`)).toBe(`${fodselsnummer}0`);
    expect(redactIdentityNumbers('ring 22 22 22 22')).toBe('ring 22 22 22 22');
  });
});
