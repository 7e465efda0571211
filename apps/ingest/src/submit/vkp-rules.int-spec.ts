import { randomUUID } from 'node:crypto';
import { issueToken } from '@knutepunkt/auth/testing';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import { createSerde, Topics, type AcceptedSubmission } from '@knutepunkt/schemas';
import { aClient, aMunicipality, aFreshOrgnr } from '@knutepunkt/schemas/testing';
import {
  aVkpAlarmBundle,
  aVkpDetectedIssue,
  aVkpLegacyFlag,
  aVkpMedicationDispense,
  aVkpMedicationDispenseMessage,
  aVkpResponseCentreComposition,
  vkpPatientIdentifier,
} from '@knutepunkt/fhir/testing';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import type { RunningService } from '@knutepunkt/service';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { ingestService } from '../ingest.service';

const orgnr = aFreshOrgnr();
const vendor = uniqueName('vkp-rules-vendor');
const epjSystem = 'https://epj.knutepunkt.test/fhir/sid/lopenummer';
const patient = vkpPatientIdentifier(11);

type Json = Record<string, unknown>;

function at(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[step];
  }
  return current;
}

/**
 * A fixture as the body of a request, each dotted path set to its value (`undefined` removes
 * it), with a unique id so Kafka can be searched for it.
 */
function body(resource: unknown, changes: Readonly<Record<string, unknown>> = {}): string {
  const json = JSON.parse(JSON.stringify(resource)) as Json;
  for (const [path, value] of Object.entries(changes)) {
    const steps = path.split('.');
    const last = steps.pop() ?? '';
    const parent = steps.length === 0 ? json : at(json, steps.join('.'));
    if (typeof parent !== 'object' || parent === null) throw new Error(`no ${path}`);
    if (value === undefined) Reflect.deleteProperty(parent, last);
    else (parent as Json)[last] = value;
  }
  json['id'] = `vkp-${randomUUID()}`;
  return JSON.stringify(json);
}

interface Outcome {
  resourceType: string;
  issue: {
    severity: string;
    code: string;
    expression?: string[];
    details?: { text?: string; coding?: { system: string; code: string }[] };
  }[];
}

describe('ingest: the VKP rules, through real HTTP against the real stack', () => {
  let service: RunningService;
  let accepted: TopicReader;
  let token: string;
  const serde = createSerde({ registryUrl: integrationEnv()['SCHEMA_REGISTRY_URL'] ?? '' });
  const brokers = (integrationEnv()['KAFKA_BROKERS'] ?? '').split(',');
  const refusedBodies: string[] = [];

  const post = (type: string, json: string) =>
    fetch(`${service.url}/fhir/${orgnr}/${type}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/fhir+json',
        'idempotency-key': randomUUID(),
      },
      body: json,
    });

  /** The accepted records whose bytes hold `marker` (Avro writes strings as their UTF-8 bytes). */
  const recordsHolding = async (marker: string): Promise<AcceptedSubmission[]> => {
    const decoded = await Promise.all(
      // Other writers (earlier runs, other tests) may have left anything on the topic.
      accepted.messages
        .filter((m) => m.value?.includes(marker) ?? false)
        .map((m) =>
          m.value
            ? serde.decode(Topics.accepted, m.value).catch(() => null)
            : Promise.resolve(null),
        ),
    );
    return decoded.filter((record): record is AcceptedSubmission => record !== null);
  };

  beforeAll(async () => {
    await publishRegistryEntries([
      {
        kind: 'municipality',
        municipality: aMunicipality({ orgnr, identifierSystems: [epjSystem] }),
      },
      {
        kind: 'client',
        client: aClient({ clientId: vendor, municipalities: [orgnr], ratePerSecond: 10_000 }),
      },
    ]);
    token = await issueToken({ sub: vendor, scope: 'knutepunkt:ingest.write' });
    service = await startServiceForTest(ingestService);
    accepted = await readTopic(brokers, Topics.accepted.name, { from: 'end' });
  });

  afterAll(async () => {
    await accepted.close();
    await service.close();
  });

  it.each([
    [
      'a required element missing (vkp-MedicationDispense-v090 performer 1..*)',
      'MedicationDispense',
      body(aVkpMedicationDispense({ patient }), { performer: undefined }),
      'INGEST.PROFILE_VIOLATION',
      'invariant',
      'MedicationDispense.performer',
      '2',
    ],
    [
      'a prohibited element (performer.actor.reference)',
      'MedicationDispense',
      body(aVkpMedicationDispense({ patient }), {
        'performer.0.actor.reference': 'Device/md-200',
      }),
      'INGEST.PROFILE_VIOLATION',
      'invariant',
      'MedicationDispense.performer[0].actor.reference',
      '2',
    ],
    [
      'an alert code vkp-alert-code-v090 does not have',
      'DetectedIssue',
      body(aVkpDetectedIssue({ patient, alertCode: '4.99' })),
      'INGEST.UNKNOWN_CODE',
      'code-invalid',
      'DetectedIssue.code.coding[0].code',
      '2',
    ],
    [
      'a severity vkp-severity-level-v090 does not have',
      'Flag',
      body(aVkpLegacyFlag({ patient, severity: '25' })),
      'INGEST.UNKNOWN_CODE',
      'code-invalid',
      'Flag.extension[0].valueCodeableConcept.coding[0].code',
      '2',
    ],
    [
      'a category outside the required value set',
      'Composition',
      body(aVkpResponseCentreComposition({ patient }), {
        'category.0.coding.0.system': 'http://example.org/categories',
      }),
      'INGEST.UNKNOWN_CODE',
      'code-invalid',
      'Composition.category[0]',
      '2',
    ],
    [
      'a reference inside the Bundle that points at no entry',
      'Bundle',
      body(aVkpAlarmBundle({ patient }), {
        'entry.1.resource.author': { reference: 'Device/not-in-bundle' },
      }),
      'INGEST.UNRESOLVED_REFERENCE',
      'not-found',
      'Bundle.entry[1].resource.author.reference',
      '2',
    ],
    [
      'a MedicationDispense message whose focus lacks the dispense',
      'Bundle',
      body(aVkpMedicationDispenseMessage(patient), {
        'entry.0.resource.focus': [
          at(aVkpMedicationDispenseMessage(patient), 'entry.0.resource.focus.0'),
        ],
      }),
      'INGEST.MESSAGE_EVENT_MISMATCH',
      'business-rule',
      'Bundle.entry[0].resource.focus',
      '2',
    ],
    [
      "a patient identifier in neither a national nor the municipality's own system",
      'Flag',
      body(aVkpLegacyFlag({ patient: { system: 'https://other.epj.test/id', value: '77' } })),
      'INGEST.UNKNOWN_IDENTIFIER_SYSTEM',
      'value',
      'Flag.subject.identifier.system',
      '2.1',
    ],
  ])(
    'refuses %s with 422, its code, FHIRPath and VKP code',
    async (_what, type, json, code, issueType, expression, vkpCode) => {
      refusedBodies.push(json);
      const response = await post(type, json);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/fhir+json');
      const outcome = (await response.json()) as Outcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue).toHaveLength(1);
      expect(outcome.issue[0]).toMatchObject({
        severity: 'error',
        code: issueType,
        expression: [expression],
        details: {
          text: code,
          coding: [
            {
              system: 'http://ehelse.no/fhir/CodeSystem/vkp-operation-outcome-v090',
              code: vkpCode,
            },
          ],
        },
      });
    },
  );

  it('answers every broken rule of a submission in one OperationOutcome, each with its own code', async () => {
    const json = body(aVkpAlarmBundle({ patient, alertCode: '4.99' }), {
      'entry.0.resource.category': undefined,
      'entry.2.resource.subject': { reference: 'Patient/elsewhere' },
    });
    refusedBodies.push(json);
    const response = await post('Bundle', json);
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as Outcome;
    expect(
      outcome.issue.map((issue) => [issue.details?.text, issue.code, issue.expression?.[0]]),
    ).toEqual([
      ['INGEST.UNRESOLVED_REFERENCE', 'not-found', 'Bundle.entry[2].resource.subject.reference'],
      ['INGEST.PROFILE_VIOLATION', 'invariant', 'Bundle.entry[0].resource.category'],
      ['INGEST.UNKNOWN_CODE', 'code-invalid', 'Bundle.entry[1].resource.code.coding[0].code'],
    ]);
  });

  it("accepts the municipality's own EPJ identifier as the patient, keyed by it, where the profile names only national numbers", async () => {
    const json = body(
      aVkpMedicationDispense({ patient: { system: epjSystem, value: `L-${randomUUID()}` } }),
    );
    const response = await post('MedicationDispense', json);
    expect(response.status).toBe(202);
    const submissionId = /([0-9a-f-]{36})\/\$status$/.exec(
      response.headers.get('location') ?? '',
    )?.[1];
    const record = await eventually(async () =>
      (await recordsHolding(submissionId ?? '')).find((r) => r.submissionId === submissionId),
    );
    expect(record.fhirJson).toBe(json);
    expect(record.patientKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('published nothing on Kafka for any refused submission', async () => {
    // A submission accepted after every refusal: once it is read back, anything published for
    // the refusals before it would be too (give other partitions a moment as well).
    const barrier = body(aVkpMedicationDispense({ patient }));
    const response = await post('MedicationDispense', barrier);
    expect(response.status).toBe(202);
    const idOf = (json: string) => String((JSON.parse(json) as Json)['id']);
    await eventually(async () =>
      (await recordsHolding(idOf(barrier))).find((r) => r.fhirJson === barrier),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(refusedBodies).toHaveLength(9);
    // Each refused body carries a unique id: no record may hold it.
    for (const json of refusedBodies) expect(await recordsHolding(idOf(json))).toEqual([]);
  });
});
