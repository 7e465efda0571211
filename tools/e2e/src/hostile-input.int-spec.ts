/*
 * Hand-made nasty bodies against ingest, running as in production (its own process, real
 * Kafka): none may get a 5xx or crash it, every refusal is an OperationOutcome, and nothing is
 * published on knutepunkt.accepted.v1 for a refused request.
 */
import { join } from 'node:path';
import { aVkpVitalSignObservation, vkpPatientIdentifier } from '@knutepunkt/fhir/testing';
import { issueToken } from '@knutepunkt/auth/testing';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import { HubClient, Platform } from '@knutepunkt/platform';
import { createSerde, Topics } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';

const env = integrationEnv({ LOG_LEVEL: 'warn' });
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });

const heartRate = () =>
  aVkpVitalSignObservation('heartRate', {
    patient: vkpPatientIdentifier(4242),
  }) as unknown as Record<string, unknown>;

function nested(depth: number): string {
  return `{"resourceType":"Observation","extension":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

interface Nasty {
  readonly name: string;
  readonly body: string | Buffer;
  readonly contentType?: string;
}

const nasties: readonly Nasty[] = [
  { name: 'nesting 100,000 deep', body: nested(100_000) },
  { name: 'nesting 33 deep', body: nested(33) },
  {
    name: 'a 2 MiB string',
    body: JSON.stringify({ ...heartRate(), id: 'x'.repeat(2 * 1024 * 1024) }),
  },
  {
    name: 'a 500 KiB code',
    body: JSON.stringify({ ...heartRate(), status: 'f'.repeat(500 * 1024) }),
  },
  {
    name: '__proto__ and constructor.prototype keys',
    body: `{"resourceType":"Observation","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"status":"final"}`,
  },
  {
    name: '__proto__ inside a valid resource',
    body: JSON.stringify(heartRate()).replace('{', '{"__proto__":{"isAdmin":true},'),
  },
  {
    name: 'UTF-16 with a BOM',
    body: Buffer.from(`\ufeff${JSON.stringify(heartRate())}`, 'utf16le'),
  },
  {
    name: 'invalid UTF-8 bytes',
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  },
  {
    name: 'Latin-1 declared as UTF-8',
    body: Buffer.from(JSON.stringify({ ...heartRate(), id: 'blåbær' }), 'latin1'),
  },
  {
    name: 'numbers as strings',
    body: JSON.stringify({ ...heartRate(), valueQuantity: { value: '72', unit: '/min' } }),
  },
  {
    name: 'duplicated keys',
    body: JSON.stringify(heartRate()).replace('{', '{"resourceType":"Patient",'),
  },
  {
    name: 'a number beyond double',
    body: JSON.stringify(heartRate()).replace('"status":"final"', '"status":1e999'),
  },
  { name: 'NUL characters', body: JSON.stringify({ ...heartRate(), id: 'a\u0000b' }) },
  { name: 'lone surrogates', body: JSON.stringify(heartRate()).replace('"final"', '"\\ud800"') },
  { name: 'top-level null', body: 'null' },
  { name: 'top-level array', body: JSON.stringify([heartRate(), heartRate()]) },
  { name: 'top-level string', body: '"Observation"' },
  { name: 'empty body', body: '' },
  { name: 'truncated JSON', body: JSON.stringify(heartRate()).slice(0, 40) },
  {
    name: 'XML',
    body: '<Observation xmlns="http://hl7.org/fhir"/>',
    contentType: 'application/fhir+xml',
  },
  {
    name: 'form data',
    body: 'resourceType=Observation',
    contentType: 'application/x-www-form-urlencoded',
  },
  { name: 'no content type', body: JSON.stringify(heartRate()), contentType: '' },
  { name: 'wrong resource for the URL', body: JSON.stringify({ resourceType: 'Patient' }) },
];

describe('hostile input to ingest', () => {
  const orgnr = aFreshOrgnr();
  const vendor = uniqueName('hostile-vendor');
  const cleanups: (() => Promise<void>)[] = [];
  let ingestUrl: string;
  let token: string;
  let accepted: TopicReader;
  const answers: { name: string; status: number }[] = [];

  beforeAll(async () => {
    const platform = await Platform.start({
      env,
      logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'e2e'),
      ports: 'free',
      only: ['ingest'],
    });
    cleanups.push(() => platform.stop());
    ingestUrl = platform.url('ingest');
    const hub = new HubClient({ ingest: ingestUrl });
    await hub.onboardMunicipality(orgnr, { name: 'Fiendtlig kommune' });
    await hub.onboardVendor(vendor, orgnr, { name: 'Hostile vendor' });
    token = await issueToken({ sub: vendor, scope: 'knutepunkt:ingest.write' });
    accepted = await readTopic((env['KAFKA_BROKERS'] ?? '').split(','), Topics.accepted.name, {
      from: 'end',
    });
    cleanups.push(() => accepted.close());
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each(nasties)(
    'answers $name without a 5xx, refusals as an OperationOutcome',
    async (nasty) => {
      const response = await fetch(`${ingestUrl}/fhir/${orgnr}/Observation`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(nasty.contentType === ''
            ? {}
            : { 'content-type': nasty.contentType ?? 'application/fhir+json' }),
          'idempotency-key': uniqueName('nasty'),
        },
        body: nasty.body,
      });
      const text = await response.text();
      answers.push({ name: nasty.name, status: response.status });
      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) {
        const outcome = JSON.parse(text) as { resourceType: string; issue: unknown[] };
        expect(outcome.resourceType).toBe('OperationOutcome');
        expect(outcome.issue.length).toBeGreaterThan(0);
        expect(text).not.toMatch(/at \S+ \(.*:\d+:\d+\)/); // no stack trace
      }
    },
  );

  it.each([
    ['a path segment over 100 characters', `Observation${'O'.repeat(100)}`, 414],
    ['a bad percent-encoding', '%E0%A4%A', 400],
  ])('answers %s as an OperationOutcome, the URL not echoed', async (_, segment, status) => {
    const response = await fetch(`${ingestUrl}/fhir/${orgnr}/${segment}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(heartRate()),
    });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((JSON.parse(text) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect(text).not.toContain(segment);
  });

  it('polluted nothing and still serves a valid submission', async () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const health = await fetch(`${ingestUrl}/health/ready`);
    expect(health.status).toBe(200);
    const response = await fetch(`${ingestUrl}/fhir/${orgnr}/Observation`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/fhir+json',
        'idempotency-key': uniqueName('valid'),
      },
      body: JSON.stringify(heartRate()),
    });
    expect(response.status).toBe(202);
  });

  /** This vendor's records on the accepted topic (Avro keeps strings as bytes: filter, then decode). */
  async function publishedByVendor(): Promise<string[]> {
    const ids: string[] = [];
    for (const message of accepted.messages) {
      if (!message.value?.includes(vendor)) continue;
      const record = await serde.decode(Topics.accepted, message.value);
      if (record.clientId === vendor) ids.push(record.submissionId);
    }
    return ids;
  }

  it('published exactly the accepted submissions of this vendor, nothing for a refusal', async () => {
    const acceptedCount = answers.filter((a) => a.status === 202).length + 1; // + the valid one
    await eventually(async () => {
      const ids = await publishedByVendor();
      return ids.length >= acceptedCount ? ids : undefined;
    }, 60_000);
    // Give a stray publish time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await publishedByVendor()).toHaveLength(acceptedCount);
    console.log(
      `hostile input: ${answers.map((a) => `${a.name} → ${String(a.status)}`).join('; ')}`,
    );
  });
});
