/*
 * End to end, through the HTTP APIs only, with the five services as separate processes on the
 * real Kafka, schema registry and PostgreSQL: an operator onboards two municipalities, each
 * registers its patients, vendors submit every kind of event, the EPJs read and acknowledge.
 * Nothing here reaches into a service's tables or topics except to read the municipality's
 * EPJ topic, which is an output EPJs consume.
 */
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpDetectedIssue,
  aVkpDigitalEncounter,
  aVkpGpsLocationBundle,
  aVkpLegacyFlag,
  aVkpMeasurementCollection,
  aVkpMedicationDispense,
  aVkpMedicationDispenseMessage,
  aVkpQuestionnaireResponse,
  aVkpResponseCentreComposition,
  aVkpSupervisionBundle,
  aVkpVitalSignObservation,
  vkpJson,
  vkpPatientIdentifier,
  type FhirIdentifier,
} from '@knutepunkt/fhir/testing';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import { HubClient, Platform, type SubmissionStatusBody } from '@knutepunkt/platform';
import { createSerde, epjTopic, type JournalEntry } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';

const env = integrationEnv({ LOG_LEVEL: 'warn' });
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
const services = ['TA', 'GPS', 'MD', 'DT', 'DHO'];
const auditActionSystem = 'https://knutepunkt.no/fhir/CodeSystem/audit-action';

interface Kind {
  readonly name: string;
  readonly type: string;
  readonly build: (patient: FhirIdentifier) => Resource;
  /** Journal entries the submission yields, where one submission is more than one event. */
  readonly entries: number;
}

const kinds: readonly Kind[] = [
  {
    name: 'medication dispensing',
    type: 'MedicationDispense',
    build: (patient) => aVkpMedicationDispense({ patient }),
    entries: 1,
  },
  {
    name: 'alert (DetectedIssue)',
    type: 'DetectedIssue',
    build: (patient) => aVkpDetectedIssue({ patient }),
    entries: 1,
  },
  {
    name: 'alert (retired Flag)',
    type: 'Flag',
    build: (patient) => aVkpLegacyFlag({ patient }),
    entries: 1,
  },
  {
    name: 'digital visit',
    type: 'Encounter',
    build: (patient) => aVkpDigitalEncounter({ patient }),
    entries: 1,
  },
  {
    name: 'blood pressure',
    type: 'Observation',
    build: (patient) => aVkpBloodPressureObservation({ patient }),
    entries: 1,
  },
  {
    name: 'heart rate',
    type: 'Observation',
    build: (patient) => aVkpVitalSignObservation('heartRate', { patient }),
    entries: 1,
  },
  {
    name: 'response-centre note',
    type: 'Composition',
    build: (patient) => aVkpResponseCentreComposition({ patient }),
    entries: 1,
  },
  {
    name: 'questionnaire answers',
    type: 'QuestionnaireResponse',
    build: (patient) => aVkpQuestionnaireResponse({ patient }),
    entries: 1,
  },
  {
    name: 'alarm Bundle (DetectedIssue + Encounter + Composition)',
    type: 'Bundle',
    build: (patient) => aVkpAlarmBundle({ patient }),
    entries: 1,
  },
  {
    name: 'GPS position Bundle',
    type: 'Bundle',
    build: (patient) => aVkpGpsLocationBundle({ patient }),
    entries: 1,
  },
  {
    name: 'digital supervision Bundle',
    type: 'Bundle',
    build: (patient) => aVkpSupervisionBundle(patient),
    entries: 1,
  },
  {
    name: 'measurement collection Bundle',
    type: 'Bundle',
    build: (patient) => aVkpMeasurementCollection(patient),
    entries: 4,
  },
  {
    name: 'dispensing message Bundle (dispense, flag, response-centre note)',
    type: 'Bundle',
    build: (patient) => aVkpMedicationDispenseMessage(patient),
    entries: 3,
  },
];

describe('the pipeline end to end, through the HTTP APIs', () => {
  const a = {
    orgnr: aFreshOrgnr(),
    vendor: uniqueName('e2e-vendor-a'),
    epj: uniqueName('e2e-epj-a'),
  };
  const b = {
    orgnr: aFreshOrgnr(),
    vendor: uniqueName('e2e-vendor-b'),
    epj: uniqueName('e2e-epj-b'),
  };
  // Patients: one per kind in A, one reserved in A, one in both, one in B only.
  const seed = Math.floor(Math.random() * 30_000);
  const patientOf = (index: number) => vkpPatientIdentifier(seed + index);
  const reserved = patientOf(kinds.length);
  const implausible = patientOf(kinds.length + 1);
  const ofB = patientOf(kinds.length + 2);

  const cleanups: (() => Promise<void>)[] = [];
  let hub: HubClient;
  let epjTopicA: TopicReader;
  let epjTopicB: TopicReader;

  beforeAll(async () => {
    const platform = await Platform.start({
      env,
      logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'e2e'),
      ports: 'free',
    });
    cleanups.push(() => platform.stop());
    hub = HubClient.of(platform);
    for (const m of [a, b]) {
      await hub.onboardMunicipality(m.orgnr, {
        name: `E2E kommune ${m.orgnr}`,
        identifierSystems: [],
        policy: { mode: 'opt-out', holdFor: 'PT1H' },
      });
      await hub.onboardVendor(m.vendor, m.orgnr, { name: 'E2E vendor', services });
      await hub.onboardClient(m.epj, { name: 'E2E EPJ', kind: 'epj', municipalities: [m.orgnr] });
    }
    const everyPatientOfA = [...kinds.map((_, i) => patientOf(i)), reserved, implausible];
    for (const patient of everyPatientOfA) await register(a.orgnr, patient);
    await register(b.orgnr, ofB);
    await hub.reservePatient(a.orgnr, reserved);
    epjTopicA = await readTopic(brokers, epjTopic(a.orgnr).name);
    cleanups.push(() => epjTopicA.close());
    epjTopicB = await readTopic(brokers, epjTopic(b.orgnr).name);
    cleanups.push(() => epjTopicB.close());
  }, 300_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  function register(orgnr: string, patient: FhirIdentifier): Promise<void> {
    return hub.registerPatient(orgnr, {
      identifiers: [patient],
      services,
      validFrom: '2020-01-01',
    });
  }

  async function statusReaching(
    vendor: string,
    location: string,
    stage: keyof SubmissionStatusBody,
  ): Promise<SubmissionStatusBody> {
    return eventually(async () => {
      const status = await hub.statusOf(vendor, location);
      return status[stage] === null ? undefined : status;
    }, 60_000);
  }

  /** The JournalEntries on a municipality's EPJ topic so far. */
  async function entriesOn(topic: TopicReader, orgnr: string): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    for (const message of topic.messages) {
      if (message.value) entries.push(await serde.decode(epjTopic(orgnr), message.value));
    }
    return entries;
  }

  function entriesOfSubmission(
    topic: TopicReader,
    orgnr: string,
    submissionId: string,
    count: number,
  ): Promise<JournalEntry[]> {
    return eventually(async () => {
      const entries = (await entriesOn(topic, orgnr)).filter(
        (entry) => entry.submissionId === submissionId,
      );
      return entries.length >= count ? entries : undefined;
    }, 60_000);
  }

  describe.each(kinds.map((kind, index) => ({ ...kind, index })))(
    '$name: POST /fhir/{orgnr}/$type',
    ({ type, build, entries, index }) => {
      const patient = patientOf(index);
      let location: string;

      it('is accepted (202), delivered, and on the municipality topic once per event', async () => {
        const submitted = await hub.submit(a.vendor, a.orgnr, type, vkpJson(build(patient)));
        expect(submitted.status).toBe(202);
        location = submitted.location ?? '';
        expect(location).toMatch(/\/\$status$/);

        const status = await statusReaching(a.vendor, location, 'delivered');
        expect(status).toMatchObject({ failed: null, withheld: null, read: null });
        const onTopic = await entriesOfSubmission(epjTopicA, a.orgnr, status.submissionId, entries);
        expect(onTopic).toHaveLength(entries);
        expect(new Set(onTopic.map((e) => e.eventId)).size).toBe(entries);
        expect(onTopic.every((e) => e.orgnr === a.orgnr)).toBe(true);
      });

      it('is found by the EPJ, acknowledged, and then journaled in $status', async () => {
        const search = await hub.searchEpj(a.epj, a.orgnr, {
          patient: `${patient.system}|${patient.value}`,
        });
        expect(search.status).toBe(200);
        const found = search.body.entry ?? [];
        expect(found).toHaveLength(entries);
        for (const { resource } of found) {
          expect(resource.resourceType).toBe('Composition');
          expect(resource.subject?.identifier).toEqual(patient);
          expect(await hub.acknowledge(a.epj, a.orgnr, resource.id)).toBe(202);
        }
        const status = await statusReaching(a.vendor, location, 'journaled');
        expect(status.read).not.toBeNull();
      });
    },
  );

  it('withholds the event of a patient who reserved themselves: never on the EPJ API or topic', async () => {
    const submitted = await hub.submit(
      a.vendor,
      a.orgnr,
      'Observation',
      vkpJson({
        ...aVkpVitalSignObservation('heartRate', { patient: reserved }),
        id: uniqueName('reserved'),
      }),
    );
    expect(submitted.status).toBe(202);
    const status = await statusReaching(a.vendor, submitted.location ?? '', 'withheld');
    expect(status).toMatchObject({ delivered: null, consented: null });
    expect(status.reason).toEqual(expect.any(String));

    const search = await hub.searchEpj(a.epj, a.orgnr, {
      patient: `${reserved.system}|${reserved.value}`,
    });
    expect(search.body.entry ?? []).toHaveLength(0);
    const onTopic = await entriesOn(epjTopicA, a.orgnr);
    expect(onTopic.filter((e) => e.submissionId === status.submissionId)).toHaveLength(0);
  });

  it('fails an implausible measurement with a reason, and journals nothing for it', async () => {
    const fever = aVkpVitalSignObservation('bodyTemperature', { patient: implausible });
    const body = {
      ...fever,
      id: uniqueName('fever'),
      valueQuantity: { ...fever.valueQuantity, value: 370 },
    };
    const submitted = await hub.submit(a.vendor, a.orgnr, 'Observation', vkpJson(body));
    expect(submitted.status).toBe(202);
    const status = await statusReaching(a.vendor, submitted.location ?? '', 'failed');
    expect(status).toMatchObject({ delivered: null });
    expect(status.reason).toMatch(/370|plausib/i);
    const search = await hub.searchEpj(a.epj, a.orgnr, {
      patient: `${implausible.system}|${implausible.value}`,
    });
    expect(search.body.entry ?? []).toHaveLength(0);
  });

  describe('a vendor of municipality A can never make an entry appear for B', () => {
    it('refuses A’s vendor on B (403) and B’s EPJ never sees A’s patients', async () => {
      const refused = await hub.submit(
        a.vendor,
        b.orgnr,
        'Observation',
        vkpJson(aVkpVitalSignObservation('heartRate', { patient: ofB })),
      );
      expect(refused.status).toBe(403);
      expect(refused.location).toBeUndefined();

      // B's own vendor delivers one event, so B's topic and API are known to work.
      const own = await hub.submit(
        b.vendor,
        b.orgnr,
        'Observation',
        vkpJson({
          ...aVkpVitalSignObservation('heartRate', { patient: ofB }),
          id: uniqueName('of-b'),
        }),
      );
      expect(own.status).toBe(202);
      const status = await statusReaching(b.vendor, own.location ?? '', 'delivered');
      await entriesOfSubmission(epjTopicB, b.orgnr, status.submissionId, 1);
      const onB = await entriesOn(epjTopicB, b.orgnr);
      expect(onB.map((e) => e.submissionId)).toEqual([status.submissionId]);

      const searchB = await hub.searchEpj(b.epj, b.orgnr);
      expect(searchB.body.entry?.map((e) => e.resource.subject?.identifier)).toEqual([ofB]);
    });

    it('refuses A’s EPJ on B’s entries (403)', async () => {
      const search = await hub.searchEpj(a.epj, b.orgnr);
      expect(search.status).toBe(403);
    });
  });

  it('audited every step for a patient, in a chain that verifies', async () => {
    const patient = patientOf(kinds.findIndex((k) => k.name === 'heart rate'));
    const expected = [
      'submission.create',
      'journal-entry.create',
      'journal-entry.read',
      'journal-entry.acknowledge',
    ];
    // The audit log is written from the topics, so it may trail the API answers a little.
    const actions = await eventually(async () => {
      const audit = await hub.auditSearch({ patient, orgnr: a.orgnr, _count: 1000 });
      const found = new Set(
        (audit.body.entry ?? []).flatMap(({ resource }) =>
          ((resource as { subtype?: { system?: string; code?: string }[] }).subtype ?? [])
            .filter((coding) => coding.system === auditActionSystem)
            .map((coding) => coding.code),
        ),
      );
      return expected.every((action) => found.has(action)) ? found : undefined;
    }, 90_000).catch((error: unknown) => {
      throw new Error(
        `audit rows of the patient never showed ${expected.join(', ')}: ${String(error)}`,
      );
    });
    expect([...actions]).toEqual(expect.arrayContaining(expected));
    const verify = await hub.auditVerify();
    expect(verify.status).toBe(200);
    expect(verify.body.valid).toBe(true);
  });
});
