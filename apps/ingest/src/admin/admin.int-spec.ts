import { issueToken } from '@knutepunkt/auth/testing';
import { createKafka, ensureTopics } from '@knutepunkt/kafka';
import { readTopic } from '@knutepunkt/kafka/testing';
import { createSerde, epjTopic, Topics, type RegistryRecord } from '@knutepunkt/schemas';
import { syntheticFodselsnummer, aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { startServiceForTest } from '@knutepunkt/service/testing';
import type { RunningService } from '@knutepunkt/service';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { ingestService } from '../ingest.service';

const observation = JSON.stringify({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'Puls' },
  subject: {
    identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: syntheticFodselsnummer(3) },
  },
  valueQuantity: { value: 70, unit: '/min' },
});

describe('admin API and the authorization register, against the real stack', () => {
  let service: RunningService;
  let adminToken: string;
  const env = integrationEnv();
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });

  const put = (path: string, body: unknown, token = adminToken) =>
    fetch(`${service.url}/admin/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const submit = (orgnr: string, token: string) =>
    fetch(`${service.url}/fhir/${orgnr}/Observation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: observation,
    });

  beforeAll(async () => {
    adminToken = await issueToken({ sub: uniqueName('admin'), scope: 'knutepunkt:admin' });
    service = await startServiceForTest(ingestService);
  });

  afterAll(async () => {
    await service.close();
  });

  it('onboards a municipality (201, then 200 on the same PUT), publishes it and lists it', async () => {
    const orgnr = aFreshOrgnr();
    const registry = await readTopic(
      (env['KAFKA_BROKERS'] ?? '').split(','),
      Topics.registry.name,
      {
        from: 'end',
      },
    );
    try {
      const body = { name: 'Testkommune', policy: { mode: 'opt-out', holdFor: 'PT12H' } };
      const first = await put(`municipalities/${orgnr}`, body);
      expect(first.status).toBe(201);
      expect(await first.json()).toEqual({
        orgnr,
        name: 'Testkommune',
        identifierSystems: [],
        policy: { mode: 'opt-out', holdFor: 'PT12H' },
      });
      expect((await put(`municipalities/${orgnr}`, body)).status).toBe(200);

      const [published] = await registry.waitFor((m) => m.key === `municipality:${orgnr}`);
      const record: RegistryRecord = await serde.decode(
        Topics.registry,
        published?.value ?? Buffer.alloc(0),
      );
      expect(record.entry).toEqual({
        'no.knutepunkt.v1.Municipality': {
          orgnr,
          name: 'Testkommune',
          identifierSystems: [],
          policy: { mode: 'opt-out', holdFor: 'PT12H' },
        },
      });

      const listed = (await (
        await fetch(`${service.url}/admin/municipalities`, {
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).json()) as { municipalities: { orgnr: string }[] };
      expect(listed.municipalities.map((m) => m.orgnr)).toContain(orgnr);
    } finally {
      await registry.close();
    }
  });

  it('creates the EPJ topic of a municipality it onboards', async () => {
    const orgnr = aFreshOrgnr();
    expect((await put(`municipalities/${orgnr}`, { name: 'Epjkommune' })).status).toBe(201);
    const kafka = createKafka({
      brokers: (env['KAFKA_BROKERS'] ?? '').split(','),
      clientId: 'admin-it',
    });
    const result = await ensureTopics(
      kafka,
      [{ name: epjTopic(orgnr).name, partitions: 3, configEntries: [] }],
      1,
    );
    expect(result.existing).toEqual([epjTopic(orgnr).name]);
  });

  it('lets a vendor write only once it is registered for the municipality', async () => {
    const orgnr = aFreshOrgnr();
    const other = aFreshOrgnr();
    const vendor = uniqueName('vendor');
    const token = await issueToken({ sub: vendor, scope: 'knutepunkt:ingest.write' });

    const unknownMunicipality = await submit(orgnr, token);
    expect(unknownMunicipality.status).toBe(404);
    expect(JSON.stringify(await unknownMunicipality.json())).toContain('INGEST.UNKNOWN_ORGNR');

    expect((await put(`municipalities/${orgnr}`, { name: 'A' })).status).toBe(201);
    expect((await put(`municipalities/${other}`, { name: 'B' })).status).toBe(201);
    const unregistered = await submit(orgnr, token);
    expect(unregistered.status).toBe(403);
    expect(JSON.stringify(await unregistered.json())).toContain('INGEST.FORBIDDEN');

    const client = { name: 'Vendor', kind: 'vendor', municipalities: [orgnr], services: ['TA'] };
    expect((await put(`clients/${vendor}`, client)).status).toBe(201);
    // The change takes effect for this instance's next request.
    expect((await submit(orgnr, token)).status).toBe(202);
    expect((await submit(other, token)).status).toBe(403);
  });

  it('holds a client to DPoP when it is registered to require it, and to its rate', async () => {
    const orgnr = aFreshOrgnr();
    expect((await put(`municipalities/${orgnr}`, { name: 'C' })).status).toBe(201);
    const strictVendor = uniqueName('dpop-vendor');
    expect(
      (
        await put(`clients/${strictVendor}`, {
          name: 'DPoP vendor',
          kind: 'vendor',
          municipalities: [orgnr],
          requireDpop: true,
        })
      ).status,
    ).toBe(201);
    const bearer = await issueToken({ sub: strictVendor, scope: 'knutepunkt:ingest.write' });
    const refused = await submit(orgnr, bearer);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^DPoP /);
    expect(JSON.stringify(await refused.json())).toContain('INGEST.DPOP_REQUIRED');

    const slowVendor = uniqueName('slow-vendor');
    const slow = { name: 'Slow', kind: 'vendor', municipalities: [orgnr], ratePerSecond: 1 };
    expect((await put(`clients/${slowVendor}`, slow)).status).toBe(201);
    const token = await issueToken({ sub: slowVendor, scope: 'knutepunkt:ingest.write' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await submit(orgnr, token));
    const limited = statuses.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(await limited?.json())).toContain('INGEST.RATE_LIMITED');
  });

  it.each([
    ['a wrong check digit', 'municipalities/921234560', { name: 'X' }, 422, 'ADMIN.INVALID_ORGNR'],
    ['a body without name', 'municipalities/{fresh}', {}, 422, 'ADMIN.INVALID_BODY'],
    ['broken JSON', 'municipalities/{fresh}', '{', 400, 'ADMIN.MALFORMED_JSON'],
    [
      'a client for a municipality not onboarded',
      'clients/{client}',
      { name: 'V', kind: 'vendor', municipalities: ['{fresh}'] },
      422,
      'ADMIN.UNKNOWN_MUNICIPALITY',
    ],
  ])('refuses %s with an OperationOutcome', async (_what, path, body, status, code) => {
    const orgnr = aFreshOrgnr();
    const fill = (text: string) =>
      text.replace('{fresh}', orgnr).replace('{client}', uniqueName('client'));
    const response = await put(
      fill(path),
      typeof body === 'string' ? body : fill(JSON.stringify(body)),
    );
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    expect(JSON.stringify(await response.json())).toContain(code);
  });

  it('refuses the admin API to a token without the admin scope', async () => {
    const vendorToken = await issueToken({ sub: 'vendor', scope: 'knutepunkt:ingest.write' });
    expect((await put(`municipalities/${aFreshOrgnr()}`, { name: 'X' }, vendorToken)).status).toBe(
      403,
    );
  });

  it('keeps the register when the service restarts: a new instance reads it from the topic', async () => {
    const orgnr = aFreshOrgnr();
    const vendor = uniqueName('vendor');
    expect((await put(`municipalities/${orgnr}`, { name: 'R' })).status).toBe(201);
    expect(
      (await put(`clients/${vendor}`, { name: 'V', kind: 'vendor', municipalities: [orgnr] }))
        .status,
    ).toBe(201);
    const second = await startServiceForTest(ingestService);
    try {
      const token = await issueToken({ sub: vendor, scope: 'knutepunkt:ingest.write' });
      // Ready only once caught up with the register, so the very first request is judged by it.
      const response = await fetch(`${second.url}/fhir/${orgnr}/Observation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: observation,
      });
      expect(response.status).toBe(202);
    } finally {
      await second.close();
    }
  });

  it('records an AuditRecord for a refused submission, naming the client and the refusal', async () => {
    const orgnr = aFreshOrgnr();
    expect((await put(`municipalities/${orgnr}`, { name: 'Audit' })).status).toBe(201);
    const stranger = uniqueName('stranger');
    const token = await issueToken({ sub: stranger, scope: 'knutepunkt:ingest.write' });
    const audit = await readTopic((env['KAFKA_BROKERS'] ?? '').split(','), Topics.audit.name, {
      from: 'end',
    });
    try {
      expect((await submit(orgnr, token)).status).toBe(403);
      const [message] = await audit.waitFor((m) => m.key === stranger);
      const record = await serde.decode(Topics.audit, message?.value ?? Buffer.alloc(0));
      expect(record).toMatchObject({
        action: 'submission.create',
        outcome: 'denied',
        orgnr,
        patientKey: null,
        actor: { kind: 'vendor', clientId: stranger },
        details: { errorCode: 'INGEST.FORBIDDEN' },
      });
    } finally {
      await audit.close();
    }
  });

  it('refuses a structural slip from a client registered as strict, which others get repaired', async () => {
    const orgnr = aFreshOrgnr();
    expect((await put(`municipalities/${orgnr}`, { name: 'Strict' })).status).toBe(201);
    const strict = uniqueName('strict-vendor');
    const lenient = uniqueName('lenient-vendor');
    for (const [clientId, isStrict] of [
      [strict, true],
      [lenient, false],
    ] as const)
      expect(
        (
          await put(`clients/${clientId}`, {
            name: clientId,
            kind: 'vendor',
            municipalities: [orgnr],
            strict: isStrict,
          })
        ).status,
      ).toBe(201);
    const slipped = JSON.stringify({ ...JSON.parse(observation), id: '' });
    const post = async (clientId: string) =>
      fetch(`${service.url}/fhir/${orgnr}/Observation`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await issueToken({ sub: clientId, scope: 'knutepunkt:ingest.write' })}`,
          'content-type': 'application/fhir+json',
        },
        body: slipped,
      });
    const refused = await post(strict);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('INGEST.STRUCTURAL_SLIP');
    expect((await post(lenient)).status).toBe(202);
  });
});
