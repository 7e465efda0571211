import { randomUUID } from 'node:crypto';
import { issueToken } from '@knutepunkt/auth/testing';
import type { IncomingMessage } from '@knutepunkt/kafka';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import {
  createSerde,
  Topics,
  type ConsentState,
  type Identifier,
  type TopicSpec,
  type ValueSchemaName,
  type ValueTypes,
} from '@knutepunkt/schemas';
import {
  aClient,
  aMunicipality,
  identifierSystems,
  syntheticFodselsnummer,
  aFreshOrgnr,
} from '@knutepunkt/schemas/testing';
import { patientKeyDeriver, type RunningService } from '@knutepunkt/service';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import { eventually, integrationEnv } from '@knutepunkt/testing';
import { welfareServiceSystem } from './domain/consent-resource';
import { consentService } from './consent.service';

const env = integrationEnv();
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });

const orgnr = aFreshOrgnr();
const otherOrgnr = aFreshOrgnr();
const suffix = randomUUID().slice(0, 8);
const adminClient = `consent-admin-${suffix}`;
const otherClient = `consent-other-${suffix}`;
const fnr = (n: number): Identifier => ({
  system: identifierSystems.fodselsnummer,
  value: syntheticFodselsnummer(Math.floor(Math.random() * 400) * 10 + n),
});

/** Decodes a topic's records (once each) and finds those matching. */
function decodedFinder<N extends ValueSchemaName>(topic: TopicSpec<N>, reader: () => TopicReader) {
  const cache = new Map<string, ValueTypes[N] | null>();
  return async (
    predicate: (value: ValueTypes[N], message: IncomingMessage) => boolean,
  ): Promise<{ value: ValueTypes[N]; message: IncomingMessage }[]> => {
    const found: { value: ValueTypes[N]; message: IncomingMessage }[] = [];
    for (const message of reader().messages) {
      const id = `${message.partition}:${message.offset}`;
      if (!cache.has(id)) {
        cache.set(
          id,
          message.value === null
            ? null
            : await serde.decode(topic, message.value).catch(() => null),
        );
      }
      const value = cache.get(id);
      if (value != null && predicate(value, message)) found.push({ value, message });
    }
    return found;
  };
}

describe('consent API against the real stack', () => {
  let service: RunningService;
  let writeToken: string;
  let readToken: string;
  let otherToken: string;
  let changes: TopicReader;
  let audit: TopicReader;

  const call = (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = writeToken,
    contentType = 'application/json',
  ) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  const errorCode = async (response: Response) => {
    const outcome = (await response.json()) as {
      resourceType: string;
      issue: { details?: { text?: string }; expression?: string[] }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    return { code: outcome.issue[0]?.details?.text, expression: outcome.issue[0]?.expression };
  };

  const findChange = decodedFinder(Topics.consentChanges, () => changes);
  const findAudit = decodedFinder(Topics.audit, () => audit);

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr, policy: null }) },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: otherOrgnr, policy: null }) },
      {
        kind: 'client',
        client: aClient({ clientId: adminClient, kind: 'epj', municipalities: [orgnr] }),
      },
      {
        kind: 'client',
        client: aClient({ clientId: otherClient, kind: 'epj', municipalities: [otherOrgnr] }),
      },
    ]);
    const scopes = 'knutepunkt:consent.read knutepunkt:consent.write';
    writeToken = await issueToken({ sub: adminClient, scope: scopes });
    readToken = await issueToken({ sub: adminClient, scope: 'knutepunkt:consent.read' });
    otherToken = await issueToken({ sub: otherClient, scope: scopes });
    service = await startServiceForTest(consentService);
    changes = await readTopic(brokers, Topics.consentChanges.name, { from: 'end' });
    audit = await readTopic(brokers, Topics.audit.name, { from: 'end' });
  });

  afterAll(async () => {
    await changes.close();
    await audit.close();
    await service.close();
  });

  describe('who may call', () => {
    it('answers 401 without a token', async () => {
      const response = await call('PUT', `/consent/${orgnr}/registrations`, {}, null);
      expect(response.status).toBe(401);
    });

    it('answers 403 to a client that may not act for the municipality', async () => {
      const response = await call('GET', `/consent/${orgnr}/policy`, undefined, otherToken);
      expect(response.status).toBe(403);
      expect((await errorCode(response)).code).toBe('CONSENT.MUNICIPALITY_NOT_ALLOWED');
    });

    it('answers 403 to a write without the write scope, and lets the read scope read', async () => {
      const write = await call('PUT', `/consent/${orgnr}/policy`, { mode: 'opt-out' }, readToken);
      expect(write.status).toBe(403);
      const read = await call('GET', `/consent/${orgnr}/policy`, undefined, readToken);
      expect(read.status).toBe(200);
    });
  });

  describe('registrations', () => {
    const patient = fnr(1);
    const epj = { system: identifierSystems.epjRunningNumber, value: `epj-${suffix}` };
    const device = { system: identifierSystems.deviceSerial, value: `SN-${suffix}` };
    const body = {
      identifiers: [epj, patient],
      services: ['TA', 'MD'],
      validFrom: '2026-01-01',
      devices: [{ identifier: device, from: '2026-01-01', to: '2026-06-30' }],
    };

    it('creates one, publishes its state keyed by orgnr and patient key, and audits the actor', async () => {
      const response = await call('PUT', `/consent/${orgnr}/registrations`, body);
      expect(response.status).toBe(201);
      const created = (await response.json()) as {
        outcome: string;
        registration: { registrationId: string; identifiers: Identifier[] };
      };
      expect(created.outcome).toBe('created');
      // The national identity number comes first: it keys the patient's state.
      expect(created.registration.identifiers).toEqual([patient, epj]);
      const patientKey = patientKeyDeriver(service.runtime)({ orgnr, identifier: patient });
      const [change] = await eventually(async () => {
        const found = await findChange(
          (state: ConsentState) =>
            state.registration?.registrationId === created.registration.registrationId,
        );
        return found.length > 0 ? found : undefined;
      });
      expect(change?.message.key).toBe(`${orgnr}:${patientKey}`);
      expect(change?.value).toMatchObject({
        orgnr,
        patientKey,
        registration: { services: ['TA', 'MD'] },
      });
      const [record] = await eventually(async () => {
        const found = await findAudit(
          (r) =>
            r.action === 'registration.create' &&
            r.entity.id === created.registration.registrationId,
        );
        return found.length > 0 ? found : undefined;
      });
      expect(record?.value).toMatchObject({
        actor: { clientId: adminClient },
        orgnr,
        patientKey,
        app: 'consent',
      });
    });

    it('treats an identical PUT as a no-op', async () => {
      const response = await call('PUT', `/consent/${orgnr}/registrations`, {
        ...body,
        identifiers: [patient, epj],
        services: ['MD', 'TA'],
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { outcome: string }).outcome).toBe('unchanged');
    });

    it('finds it by any of its identifiers, in the body', async () => {
      const response = await call('POST', `/consent/${orgnr}/registrations/_search`, {
        identifier: `${epj.system}|${epj.value}`,
      });
      expect(response.status).toBe(200);
      const found = (await response.json()) as {
        total: number;
        registrations: { devices: unknown[] }[];
      };
      expect(found.total).toBe(1);
      expect(found.registrations[0]?.devices).toEqual(body.devices);
    });

    it('refuses a loan of a device another patient has on the same days (409)', async () => {
      const response = await call('PUT', `/consent/${orgnr}/registrations`, {
        identifiers: [fnr(2)],
        services: ['TA'],
        validFrom: '2026-01-01',
        devices: [{ identifier: device, from: '2026-06-30' }],
      });
      expect(response.status).toBe(409);
      expect(await errorCode(response)).toEqual({
        code: 'CONSENT.DEVICE_LOAN_OVERLAP',
        expression: ['devices'],
      });
    });

    it('moves the state to the national identity number when one is added', async () => {
      const running = { system: identifierSystems.epjRunningNumber, value: `move-${suffix}` };
      const person = fnr(5);
      const first = await call('PUT', `/consent/${orgnr}/registrations`, {
        identifiers: [running],
        services: ['TA'],
        validFrom: '2026-01-01',
      });
      expect(first.status).toBe(201);
      const { registration } = (await first.json()) as { registration: { registrationId: string } };
      const second = await call('PUT', `/consent/${orgnr}/registrations`, {
        identifiers: [running, person],
        services: ['TA'],
        validFrom: '2026-01-01',
      });
      expect(second.status).toBe(200);
      expect(((await second.json()) as { outcome: string }).outcome).toBe('updated');
      const derive = patientKeyDeriver(service.runtime);
      const oldKey = `${orgnr}:${derive({ orgnr, identifier: running })}`;
      const newKey = `${orgnr}:${derive({ orgnr, identifier: person })}`;
      await eventually(async () => {
        const moved = await findChange(
          (state, message) =>
            message.key === newKey &&
            state.registration?.registrationId === registration.registrationId,
        );
        // The old key is left with an empty state, not a tombstone.
        const emptied = await findChange(
          (state, message) => message.key === oldKey && state.registration === null,
        );
        return moved.length > 0 && emptied.length > 0 ? true : undefined;
      });
    });

    it('refuses identifiers that belong to two registrations (409)', async () => {
      const [a, b] = [fnr(6), fnr(7)];
      for (const identifier of [a, b]) {
        const created = await call('PUT', `/consent/${orgnr}/registrations`, {
          identifiers: [identifier],
          services: ['TA'],
          validFrom: '2026-01-01',
        });
        expect(created.status).toBe(201);
      }
      const response = await call('PUT', `/consent/${orgnr}/registrations`, {
        identifiers: [a, b],
        services: ['TA'],
        validFrom: '2026-01-01',
      });
      expect(response.status).toBe(409);
      expect((await errorCode(response)).code).toBe('CONSENT.IDENTIFIER_CONFLICT');
    });

    it.each([
      ['not JSON', '{', 400, 'CONSENT.MALFORMED_JSON'],
      [
        'a bad national identity number',
        {
          ...body,
          identifiers: [{ system: identifierSystems.fodselsnummer, value: '12345678901' }],
        },
        422,
        'CONSENT.INVALID_IDENTIFIER',
      ],
      [
        'an identifier system the municipality does not have',
        { ...body, identifiers: [{ system: 'urn:example:other', value: '1' }] },
        422,
        'CONSENT.UNKNOWN_IDENTIFIER_SYSTEM',
      ],
      ['an unknown service', { ...body, services: ['XX'] }, 422, 'CONSENT.INVALID_REGISTRATION'],
      ['an impossible date', { ...body, validFrom: '2026-02-30' }, 422, 'CONSENT.INVALID_DATE'],
    ])('refuses %s with an OperationOutcome', async (_what, bad, status, code) => {
      const response = await call('PUT', `/consent/${orgnr}/registrations`, bad);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/fhir+json');
      expect((await errorCode(response)).code).toBe(code);
    });

    it('refuses another media type (415)', async () => {
      const response = await call(
        'PUT',
        `/consent/${orgnr}/registrations`,
        'a=b',
        writeToken,
        'application/x-www-form-urlencoded',
      );
      expect(response.status).toBe(415);
    });

    it('answers 404 for a municipality that is not connected, even to an admin', async () => {
      const admin = await issueToken({
        sub: adminClient,
        scope: 'knutepunkt:admin knutepunkt:consent.write',
      });
      const response = await call('GET', `/consent/${aFreshOrgnr()}/policy`, undefined, admin);
      expect(response.status).toBe(404);
      expect((await errorCode(response)).code).toBe('CONSENT.UNKNOWN_MUNICIPALITY');
    });
  });

  describe('Consent', () => {
    const patient = fnr(3);
    const consent = (overrides: Record<string, unknown> = {}) => ({
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
        ],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: patient },
      provision: {
        type: 'deny',
        period: { start: '2026-01-01' },
        code: [{ coding: [{ system: welfareServiceSystem, code: 'GPS' }] }],
      },
      ...overrides,
    });

    it('records a FHIR Consent, gives it an id, and finds it by patient', async () => {
      const response = await call(
        'POST',
        `/consent/${orgnr}/Consent`,
        consent(),
        writeToken,
        'application/fhir+json',
      );
      expect(response.status).toBe(201);
      const stored = (await response.json()) as { id: string; meta: { lastUpdated: string } };
      expect(response.headers.get('location')).toBe(`/consent/${orgnr}/Consent/${stored.id}`);
      expect(stored.meta.lastUpdated).toBeDefined();
      const search = await call(
        'POST',
        `/consent/${orgnr}/Consent/_search`,
        {
          patient: { system: patient.system, value: patient.value },
        },
        readToken,
      );
      expect(search.status).toBe(200);
      const bundle = (await search.json()) as {
        type: string;
        entry: { resource: { id: string } }[];
      };
      expect(bundle.type).toBe('searchset');
      expect(bundle.entry.map((e) => e.resource.id)).toEqual([stored.id]);
    });

    it('updates a Consent posted again with its id (a withdrawal), and refuses another patient', async () => {
      const id = `withdraw-${suffix}`;
      expect((await call('POST', `/consent/${orgnr}/Consent`, consent({ id }))).status).toBe(201);
      const withdrawn = await call(
        'POST',
        `/consent/${orgnr}/Consent`,
        consent({
          id,
          status: 'inactive',
          provision: { type: 'deny', period: { start: '2026-01-01', end: '2026-03-01' } },
        }),
      );
      expect(withdrawn.status).toBe(200);
      const hijack = await call(
        'POST',
        `/consent/${orgnr}/Consent`,
        consent({ id, patient: { identifier: fnr(4) } }),
      );
      expect(hijack.status).toBe(409);
      expect((await errorCode(hijack)).code).toBe('CONSENT.CONSENT_PATIENT_CONFLICT');
    });

    it.each([
      [
        'another resource',
        { resourceType: 'Patient' },
        400,
        'CONSENT.NOT_A_CONSENT',
        'resourceType',
      ],
      [
        'no provision type',
        { provision: {} },
        422,
        'CONSENT.INVALID_CONSENT',
        'Consent.provision.type',
      ],
      [
        'a patient by reference only',
        { patient: { reference: 'Patient/1' } },
        422,
        'CONSENT.INVALID_CONSENT',
        'Consent.patient.identifier',
      ],
      ['no scope', { scope: undefined }, 422, 'CONSENT.INVALID_CONSENT', 'Consent.scope'],
    ])('refuses %s', async (_what, overrides, status, code, expression) => {
      const response = await call('POST', `/consent/${orgnr}/Consent`, consent(overrides));
      expect(response.status).toBe(status);
      expect(await errorCode(response)).toEqual({ code, expression: [expression] });
    });
  });

  describe('policy', () => {
    it('is the default opt-in PT24H until set, then what was set', async () => {
      const before = await call('GET', `/consent/${otherOrgnr}/policy`, undefined, otherToken);
      expect(await before.json()).toEqual({ mode: 'opt-in', holdFor: 'PT24H', source: 'default' });
      const put = await call(
        'PUT',
        `/consent/${otherOrgnr}/policy`,
        { mode: 'opt-out', holdFor: 'PT2H' },
        otherToken,
      );
      expect(put.status).toBe(200);
      const after = await call('GET', `/consent/${otherOrgnr}/policy`, undefined, otherToken);
      expect(await after.json()).toEqual({ mode: 'opt-out', holdFor: 'PT2H', source: 'recorded' });
      const [change] = await eventually(async () => {
        const found = await findChange(
          (state, message) => message.key === otherOrgnr && state.policy?.holdFor === 'PT2H',
        );
        return found.length > 0 ? found : undefined;
      });
      expect(change?.value).toMatchObject({
        orgnr: otherOrgnr,
        patientKey: null,
        policy: { mode: 'opt-out' },
      });
    });

    it('refuses a month as hold period', async () => {
      const response = await call('PUT', `/consent/${orgnr}/policy`, {
        mode: 'opt-in',
        holdFor: 'P1M',
      });
      expect(response.status).toBe(422);
      expect(await errorCode(response)).toEqual({
        code: 'CONSENT.INVALID_DURATION',
        expression: ['holdFor'],
      });
    });
  });
});
