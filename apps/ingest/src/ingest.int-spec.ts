import { randomUUID } from 'node:crypto';
import { issueToken } from '@knutepunkt/auth/testing';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import { createSerde, Topics, type AcceptedSubmission } from '@knutepunkt/schemas';
import {
  aClient,
  aMunicipality,
  orgnrWithCheckDigit,
  syntheticFodselsnummer,
} from '@knutepunkt/schemas/testing';
import {
  aVkpAlarmBundle,
  aVkpDetectedIssue,
  aVkpDigitalEncounter,
  aVkpLegacyFlag,
  aVkpMeasurementCollection,
  aVkpMedicationDispense,
  aVkpQuestionnaireResponse,
  aVkpResponseCentreComposition,
  aVkpVitalSignObservation,
  vkpJson,
} from '@knutepunkt/fhir/testing';
import {
  describeServiceBoot,
  publishRegistryEntries,
  startServiceForTest,
} from '@knutepunkt/service/testing';
import type { RunningService } from '@knutepunkt/service';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { ingestService } from './ingest.service';

describeServiceBoot(ingestService);

const orgnr = orgnrWithCheckDigit('92123456');
const vendorA = uniqueName('vendor-a');
const vendorB = uniqueName('vendor-b');
const patient = { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: syntheticFodselsnummer(7) };
/** As JSON, so a test may change it freely. */
const json = (resource: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;

/** One VKP-shaped resource of every type the vendor API takes (@knutepunkt/fhir/testing). */
const bodies: Record<string, Record<string, unknown>> = {
  MedicationDispense: json(aVkpMedicationDispense({ patient })),
  DetectedIssue: json(aVkpDetectedIssue({ patient })),
  Flag: json(aVkpLegacyFlag({ patient })),
  Encounter: json(aVkpDigitalEncounter({ patient })),
  Observation: json(aVkpVitalSignObservation('heartRate', { patient })),
  Composition: json(aVkpResponseCentreComposition({ patient })),
  QuestionnaireResponse: json(aVkpQuestionnaireResponse({ patient })),
  Bundle: json(aVkpMeasurementCollection(patient)),
};

describe('ingest vendor API against the real stack', () => {
  let service: RunningService;
  let accepted: TopicReader;
  let vendorToken: string;
  const serde = createSerde({ registryUrl: integrationEnv()['SCHEMA_REGISTRY_URL'] ?? '' });
  const brokers = (integrationEnv()['KAFKA_BROKERS'] ?? '').split(',');

  const post = (
    type: string,
    body: string,
    headers: Record<string, string> = {},
    token = vendorToken,
  ) =>
    fetch(`${service.url}/fhir/${orgnr}/${type}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/fhir+json',
        ...headers,
      },
      body,
    });

  /** Every accepted record with this submission id, with the Kafka key it was written under. */
  const acceptedRecords = async (submissionId: string) => {
    const decoded = await Promise.all(
      // Avro writes strings as their UTF-8 bytes: only records holding the id are decoded (the
      // topic holds every earlier run's records; decoding them all on each poll is slow).
      accepted.messages
        .filter((m) => m.value?.includes(submissionId) ?? false)
        .map(async (m) => ({
          key: m.key,
          // Other writers (earlier runs, other tests) may have left anything on the topic.
          record: m.value ? await serde.decode(Topics.accepted, m.value).catch(() => null) : null,
        })),
    );
    return decoded.filter(
      (d): d is { key: string | null; record: AcceptedSubmission } =>
        d.record?.submissionId === submissionId,
    );
  };

  const acceptedRecord = async (submissionId: string): Promise<AcceptedSubmission> => {
    const [first] = await eventually(async () => {
      const found = await acceptedRecords(submissionId);
      return found.length > 0 ? found : undefined;
    });
    if (!first) throw new Error('not found');
    // Keyed by patient key (never the number itself) so a patient's submissions keep their order.
    expect(first.key).toBe(first.record.patientKey);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    return first.record;
  };

  beforeAll(async () => {
    const vendor = (clientId: string) =>
      ({
        kind: 'client',
        client: aClient({ clientId, municipalities: [orgnr], ratePerSecond: 10_000 }),
      }) as const;
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr }) },
      vendor(vendorA),
      vendor(vendorB),
    ]);
    vendorToken = await issueToken({ sub: vendorA, scope: 'knutepunkt:ingest.write' });
    service = await startServiceForTest(ingestService);
    accepted = await readTopic(brokers, Topics.accepted.name, { from: 'end' });
  });

  afterAll(async () => {
    await accepted.close();
    await service.close();
  });

  it.each(Object.keys(bodies))(
    'accepts a %s with 202 once Kafka has it, and says where its status is',
    async (type) => {
      const body = JSON.stringify(bodies[type]);
      const response = await post(type, body, {
        'idempotency-key': randomUUID(),
        'nhn-source-system': 'VendorSystem 2.1',
      });
      expect(response.status).toBe(202);
      expect(response.headers.get('content-type')).toContain('application/fhir+json');
      const location = response.headers.get('location') ?? '';
      const match = new RegExp(`^/fhir/${orgnr}/${type}/([0-9a-f-]{36})/\\$status$`).exec(location);
      expect(location).toMatch(new RegExp(`^/fhir/${orgnr}/${type}/([0-9a-f-]{36})/\\$status$`));
      const submissionId = match?.[1] ?? '';
      const record = await acceptedRecord(submissionId);
      expect(record).toMatchObject({
        clientId: vendorA,
        orgnr,
        resourceType: type,
        fhirJson: body,
        sourceSystem: 'VendorSystem 2.1',
      });
      expect(record.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    },
  );

  it('answers a repeat with 200 and the first Location, publishing once, even for 20 at the same time', async () => {
    const body = JSON.stringify(bodies['Observation']);
    const key = randomUUID();
    const first = await post('Observation', body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('Observation', body, { 'idempotency-key': key })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(new Set(responses.map((r) => r.headers.get('location')))).toEqual(
      new Set([first.headers.get('location')]),
    );

    const concurrentKey = randomUUID();
    const racing = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('Observation', body, { 'idempotency-key': concurrentKey }),
      ),
    );
    expect(racing.filter((r) => r.status === 202)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 200)).toHaveLength(19);
    const locations = new Set(racing.map((r) => r.headers.get('location')));
    expect(locations.size).toBe(1);

    const submissionIds = [first, racing[0]].map(
      (r) => /([0-9a-f-]{36})\/\$status$/.exec(r?.headers.get('location') ?? '')?.[1],
    );
    for (const id of submissionIds) await acceptedRecord(id ?? '');
    // Give any stray duplicate time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const id of submissionIds) expect(await acceptedRecords(id ?? '')).toHaveLength(1);
    const withKey = async (k: string) => {
      const decoded = await Promise.all(
        // Other writers (earlier runs, other tests) may have left anything on the topic.
        accepted.messages
          .filter((m) => m.value?.includes(k) ?? false)
          .map(async (m) =>
            m.value ? serde.decode(Topics.accepted, m.value).catch(() => null) : null,
          ),
      );
      return decoded.filter((r) => r?.idempotencyKey === k);
    };
    expect(await withKey(key)).toHaveLength(1);
    expect(await withKey(concurrentKey)).toHaveLength(1);
  });

  it('treats the same resource id from the same client as a repeat, and from another client as new', async () => {
    const body = JSON.stringify({ ...bodies['Flag'], id: `flag-${randomUUID()}` });
    expect((await post('Flag', body)).status).toBe(202);
    expect((await post('Flag', body)).status).toBe(200);
    const other = await issueToken({ sub: vendorB, scope: 'knutepunkt:ingest.write' });
    expect((await post('Flag', body, {}, other)).status).toBe(202);
  });

  it.each([
    ['malformed JSON', 'Observation', '{"resourceType":', {}, 400, 'INGEST.MALFORMED_JSON'],
    [
      'a body of another type',
      'Flag',
      JSON.stringify(bodies['Observation']),
      {},
      400,
      'INGEST.RESOURCE_TYPE_MISMATCH',
    ],
    [
      'an unknown type',
      'Patient',
      JSON.stringify({ resourceType: 'Patient' }),
      {},
      404,
      'INGEST.UNKNOWN_TYPE',
    ],
    [
      'a searchset Bundle',
      'Bundle',
      JSON.stringify({ resourceType: 'Bundle', type: 'searchset' }),
      {},
      422,
      'INGEST.BUNDLE_TYPE',
    ],
    [
      'a wrong content type',
      'Observation',
      JSON.stringify(bodies['Observation']),
      { 'content-type': 'text/plain' },
      415,
      'HTTP.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over 1 MiB',
      'Observation',
      JSON.stringify({ ...bodies['Observation'], note: [{ text: 'x'.repeat(1_100_000) }] }),
      {},
      413,
      'HTTP.BODY_TOO_LARGE',
    ],
  ])('refuses %s with an OperationOutcome', async (_what, type, body, headers, status, code) => {
    const response = await post(type, body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    const outcome = (await response.json()) as {
      resourceType: string;
      issue: { severity: string; details?: { text?: string }; diagnostics: string }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', details: { text: code } });
    expect(JSON.stringify(outcome)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses an organisation number whose check digit is wrong with 404', async () => {
    const wrongCheckDigit = `${orgnr.slice(0, 8)}${(Number(orgnr[8]) + 1) % 10}`;
    const response = await fetch(`${service.url}/fhir/${wrongCheckDigit}/Observation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vendorToken}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bodies['Observation']),
    });
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain('INGEST.UNKNOWN_ORGNR');
  });

  it('refuses a missing token with 401 and a token without the scope with 403', async () => {
    const body = JSON.stringify(bodies['Observation']);
    const anonymous = await fetch(`${service.url}/fhir/${orgnr}/Observation`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^(Bearer|DPoP)/);
    const reader = await issueToken({ sub: vendorA, scope: 'knutepunkt:epj.read' });
    expect((await post('Observation', body, {}, reader)).status).toBe(403);
  });

  it('shows the status of a submission to its client only, with stages as they are reported', async () => {
    const response = await post('Observation', JSON.stringify(bodies['Observation']), {
      'idempotency-key': randomUUID(),
    });
    const location = response.headers.get('location') ?? '';
    const submissionId = /([0-9a-f-]{36})\/\$status$/.exec(location)?.[1] ?? '';
    const get = (token: string) =>
      fetch(`${service.url}${location}`, { headers: { authorization: `Bearer ${token}` } });

    const initial = (await (await get(vendorToken)).json()) as Record<string, unknown>;
    expect(initial).toMatchObject({
      submissionId,
      resourceType: 'Observation',
      orgnr,
      normalized: null,
      journaled: null,
    });
    expect(typeof initial['registered']).toBe('string');

    const other = await issueToken({ sub: vendorB, scope: 'knutepunkt:ingest.write' });
    expect((await get(other)).status).toBe(404);

    await serde.register(Topics.status);
    await service.runtime.producer.send([
      {
        topic: Topics.status.name,
        key: submissionId,
        value: serde.encode(Topics.status, {
          submissionId,
          eventId: null,
          journalEntryId: null,
          stage: 'normalized',
          at: Date.parse('2026-11-28T10:00:01.000Z'),
          reason: null,
          operationOutcomeCode: null,
          orgnr,
          clientId: vendorA,
          reportedBy: 'normalizer',
        }),
      },
    ]);
    const projected = await eventually(async () => {
      const status = (await (await get(vendorToken)).json()) as Record<string, unknown>;
      return status['normalized'] === '2026-11-28T10:00:01.000Z' ? status : undefined;
    });
    expect(projected['consented']).toBeNull();
  });

  it('repairs structural slips and says so in warning issues, and refuses broken FHIR with every problem', async () => {
    const slipped = {
      ...bodies['Observation'],
      id: '',
      code: { coding: { system: 'http://loinc.org', code: '8867-4' } },
    };
    const repaired = await post('Observation', JSON.stringify(slipped), {
      'idempotency-key': randomUUID(),
    });
    expect(repaired.status).toBe(202);
    const outcome = (await repaired.json()) as {
      issue: { severity: string; expression?: string[]; details?: { text?: string } }[];
    };
    // In document order: `id` comes before `code` in this body.
    expect(outcome.issue.filter((i) => i.severity === 'warning')).toEqual([
      expect.objectContaining({
        expression: ['Observation.id'],
        details: expect.objectContaining({ text: 'REPAIR.EMPTY_STRING_REMOVED' }) as unknown,
      }),
      expect.objectContaining({
        expression: ['Observation.code.coding'],
        details: expect.objectContaining({ text: 'REPAIR.SINGLE_TO_ARRAY' }) as unknown,
      }),
    ]);

    const broken = { ...bodies['Observation'], status: undefined, valueQuantity: { value: 'x' } };
    const refused = await post('Observation', JSON.stringify(broken));
    expect(refused.status).toBe(400);
    const problems = (await refused.json()) as { issue: { expression?: string[] }[] };
    expect(problems.issue.map((i) => i.expression?.[0])).toEqual(
      expect.arrayContaining(['Observation.status', 'Observation.value[x].value']),
    );
  });

  describe('drop-in paths of the national hub', () => {
    const anAlarm = () =>
      vkpJson({
        ...aVkpAlarmBundle({ patient }),
        identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` },
      });
    const alarm = anAlarm();
    const postTo = (path: string, token: string, body = alarm) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body,
      });

    it("accepts VKP R4's POST /epj/r4/{orgnr}/bundle as a Bundle submission", async () => {
      const response = await postTo(`/epj/r4/${orgnr}/bundle`, vendorToken);
      expect(response.status).toBe(202);
      const location = response.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^/fhir/${orgnr}/Bundle/[0-9a-f-]{36}/\\$status$`));
      expect((await postTo(`/epj/r4/${orgnr}/bundle`, vendorToken)).status).toBe(200);
    });

    it("accepts JFT's POST /v1/{type} for the token's orgnr_parent, and only JFT's types", async () => {
      const jftToken = await issueToken({
        sub: vendorA,
        scope: 'knutepunkt:ingest.write',
        orgnrParent: orgnr,
      });
      const body = anAlarm();
      const response = await postTo('/v1/Bundle', jftToken, body);
      expect(response.status).toBe(202);
      expect(response.headers.get('location')).toMatch(
        new RegExp(`^/fhir/${orgnr}/Bundle/[0-9a-f-]{36}/\\$status$`),
      );
      const withoutClaim = await postTo('/v1/Bundle', vendorToken, body);
      expect(withoutClaim.status).toBe(401);
      expect(withoutClaim.headers.get('www-authenticate')).toContain('no orgnr_parent');
      expect((await postTo('/v1/Observation', jftToken, body)).status).toBe(404);
    });
  });
});
