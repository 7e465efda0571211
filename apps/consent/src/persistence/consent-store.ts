import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutgoingMessage } from '@knutepunkt/kafka';
import type {
  ConsentDirective,
  ConsentPolicy,
  ConsentState,
  DeviceLoan,
  Identifier,
  Registration,
  WelfareService,
} from '@knutepunkt/schemas';
import { accepted, refused, type ApiResult } from '../domain/consent-api-error';
import type { ConsentInput } from '../domain/consent-resource';
import {
  loansOverlap,
  sameRegistration,
  type RegistrationRequest,
} from '../domain/registration-request';
import type { ConsentSearch, RegistrationSearch } from '../domain/search-request';
import { PolicyRow } from './consent.entities';

/** What the audit record of a change says; the caller turns it into the message. */
export interface AuditFactsOfChange {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly patientKey: string | null;
  readonly details?: Readonly<Record<string, string>>;
}

/** Who changes what: the client, and how its AuditRecord is encoded. */
export interface ChangeAuthor {
  readonly clientId: string;
  readonly auditMessage: (facts: AuditFactsOfChange) => OutgoingMessage;
}

/** The patient key of an identifier in a municipality (the deployment's patient-key HMAC). */
export type IdentifierKeyOf = (orgnr: string, identifier: Identifier) => string;

export interface StoredRegistration extends Registration {
  readonly orgnr: string;
  readonly patientKey: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredConsent {
  readonly consentId: string;
  readonly patientKey: string;
  readonly resource: Record<string, unknown>;
}

/** A committed change: its result and the outbox rows that publish it. */
export interface Change<T> {
  readonly result: T;
  readonly outboxIds: readonly string[];
}

export type RegistrationChange = Change<{
  readonly kind: 'created' | 'updated' | 'unchanged';
  readonly registration: StoredRegistration;
}>;

export type ConsentChange = Change<{ readonly created: boolean; readonly consent: StoredConsent }>;

export type PolicyChange = Change<{ readonly changed: boolean; readonly policy: ConsentPolicy }>;

/** `<orgnr>:<patientKey>` for a patient's state, `<orgnr>` for the policy. */
export function stateKeyOf(orgnr: string, patientKey: string | null): string {
  return patientKey === null ? orgnr : `${orgnr}:${patientKey}`;
}

interface RegistrationDbRow {
  registration_id: string;
  orgnr: string;
  patient_key: string;
  identifiers: Identifier[];
  services: WelfareService[];
  valid_from: string;
  valid_to: string | null;
  created_at: Date;
  updated_at: Date;
}

const registrationColumns = `registration_id, orgnr, patient_key, identifiers, services,
  valid_from::text AS valid_from, valid_to::text AS valid_to, created_at, updated_at`;

/**
 * The consent service's tables behind the operations the API and the publisher need. Every
 * change runs in one transaction that also bumps the version of each state key it touches and
 * writes the outbox rows that publish it: the state on `knutepunkt.consent.changes.v1` and the
 * AuditRecord. Changes in one municipality are serialized (an advisory lock), so identifier
 * and device-loan checks cannot race.
 */
export class ConsentStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identifierKeyOf: IdentifierKeyOf,
  ) {}

  async putRegistration(
    orgnr: string,
    request: RegistrationRequest,
    author: ChangeAuthor,
  ): Promise<ApiResult<RegistrationChange>> {
    const identifierKeys = request.identifiers.map((i) => this.identifierKeyOf(orgnr, i));
    const patientKey = identifierKeys[0];
    if (patientKey === undefined) throw new Error('a registration has at least one identifier');
    return this.dataSource.transaction(async (manager) => {
      await lockMunicipality(manager, orgnr);
      const owners: { registration_id: string }[] = await manager.query(
        `SELECT DISTINCT registration_id FROM consent.registration_identifiers
          WHERE orgnr = $1 AND identifier_key = ANY($2::text[])`,
        [orgnr, identifierKeys],
      );
      if (owners.length > 1) {
        return refused(
          'CONSENT.IDENTIFIER_CONFLICT',
          'These identifiers belong to more than one registration in this municipality; change or merge those registrations first.',
          'identifiers',
        );
      }
      const existing =
        owners[0] === undefined
          ? undefined
          : await this.registrationById(manager, owners[0].registration_id);
      const overlap = await this.overlappingLoan(
        manager,
        orgnr,
        request.devices,
        existing?.registrationId,
      );
      if (overlap !== undefined) {
        return refused(
          'CONSENT.DEVICE_LOAN_OVERLAP',
          `Device ${overlap.identifier.system} is lent to another registered patient on some of the same days; end that loan first.`,
          'devices',
        );
      }
      if (existing !== undefined && sameRegistration(requestOf(existing), request)) {
        return accepted({ result: { kind: 'unchanged', registration: existing }, outboxIds: [] });
      }
      const now = new Date();
      const registrationId = existing?.registrationId ?? randomUUID();
      await manager.query(
        `INSERT INTO consent.registrations
           (registration_id, orgnr, patient_key, identifiers, services, valid_from, valid_to,
            created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4::jsonb, $5::text[], $6, $7, $8, $8, $9)
         ON CONFLICT (registration_id) DO UPDATE SET
           patient_key = EXCLUDED.patient_key, identifiers = EXCLUDED.identifiers,
           services = EXCLUDED.services, valid_from = EXCLUDED.valid_from,
           valid_to = EXCLUDED.valid_to, updated_at = EXCLUDED.updated_at,
           updated_by = EXCLUDED.updated_by`,
        [
          registrationId,
          orgnr,
          patientKey,
          JSON.stringify(request.identifiers),
          request.services,
          request.validFrom,
          request.validTo,
          now,
          author.clientId,
        ],
      );
      await manager.query(
        'DELETE FROM consent.registration_identifiers WHERE registration_id = $1',
        [registrationId],
      );
      await manager.query(
        `INSERT INTO consent.registration_identifiers (orgnr, identifier_key, registration_id)
         SELECT $1, unnest($2::text[]), $3`,
        [orgnr, [...new Set(identifierKeys)], registrationId],
      );
      await manager.query('DELETE FROM consent.device_loans WHERE registration_id = $1', [
        registrationId,
      ]);
      for (const loan of request.devices) {
        await manager.query(
          `INSERT INTO consent.device_loans
             (registration_id, orgnr, device_system, device_value, loan_from, loan_to)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            registrationId,
            orgnr,
            loan.identifier.system,
            loan.identifier.value,
            loan.from,
            loan.to,
          ],
        );
      }
      // The patient's consents join the registration's state: those recorded under the old
      // key of this registration, and those naming any of its identifiers.
      const moved: { patient_key: string }[] = await manager.query(
        // A top-level SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
        `WITH moved AS (
           SELECT consent_id, patient_key FROM consent.consents
            WHERE orgnr = $1 AND patient_key <> $2
              AND (identifier_key = ANY($3::text[]) OR patient_key = $4)
            FOR UPDATE),
         updated AS (
           UPDATE consent.consents c SET patient_key = $2
             FROM moved WHERE c.orgnr = $1 AND c.consent_id = moved.consent_id
           RETURNING moved.patient_key)
         SELECT DISTINCT patient_key FROM updated`,
        [orgnr, patientKey, identifierKeys, existing?.patientKey ?? patientKey],
      );
      const touched = new Set([patientKey, ...moved.map((m) => m.patient_key)]);
      if (existing !== undefined) touched.add(existing.patientKey);
      const registration: StoredRegistration = {
        registrationId,
        orgnr,
        patientKey,
        identifiers: request.identifiers,
        services: request.services,
        validFrom: request.validFrom,
        validTo: request.validTo,
        devices: request.devices,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const outboxIds = await this.recordChange(manager, orgnr, [...touched], now, [
        author.auditMessage({
          action: existing === undefined ? 'registration.create' : 'registration.update',
          entityType: 'Registration',
          entityId: registrationId,
          patientKey,
          details: { services: request.services.join(',') },
        }),
      ]);
      return accepted({
        result: { kind: existing === undefined ? 'created' : 'updated', registration },
        outboxIds,
      });
    });
  }

  async recordConsent(
    orgnr: string,
    input: ConsentInput,
    author: ChangeAuthor,
  ): Promise<ApiResult<ConsentChange>> {
    const identifierKey = this.identifierKeyOf(orgnr, input.patient);
    return this.dataSource.transaction(async (manager) => {
      await lockMunicipality(manager, orgnr);
      const patientKey = await this.stateKeyOfIdentifier(manager, orgnr, identifierKey);
      const consentId = input.id ?? randomUUID();
      const existing: { identifier_key: string; patient_key: string }[] = await manager.query(
        `SELECT identifier_key, patient_key FROM consent.consents
          WHERE orgnr = $1 AND consent_id = $2 FOR UPDATE`,
        [orgnr, consentId],
      );
      const previous = existing[0];
      if (previous !== undefined && previous.identifier_key !== identifierKey) {
        return refused(
          'CONSENT.CONSENT_PATIENT_CONFLICT',
          `Consent ${consentId} is recorded for another patient; a Consent cannot change patient. Record a new Consent instead.`,
          'Consent.patient',
        );
      }
      const now = new Date();
      const resource: Record<string, unknown> = {
        ...input.resource,
        id: consentId,
        meta: {
          ...(typeof input.resource['meta'] === 'object' ? input.resource['meta'] : {}),
          lastUpdated: now.toISOString(),
        },
      };
      await manager.query(
        `INSERT INTO consent.consents
           (orgnr, consent_id, patient_key, identifier_key, provision, status, services,
            period_start, period_end, recorded_at, recorded_by, resource)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12::jsonb)
         ON CONFLICT (orgnr, consent_id) DO UPDATE SET
           patient_key = EXCLUDED.patient_key, provision = EXCLUDED.provision,
           status = EXCLUDED.status, services = EXCLUDED.services,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
           recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by,
           resource = EXCLUDED.resource`,
        [
          orgnr,
          consentId,
          patientKey,
          identifierKey,
          input.provision,
          input.status,
          input.services,
          input.periodStart,
          input.periodEnd,
          now,
          author.clientId,
          JSON.stringify(resource),
        ],
      );
      const touched = new Set([patientKey]);
      if (previous !== undefined) touched.add(previous.patient_key);
      const outboxIds = await this.recordChange(manager, orgnr, [...touched], now, [
        author.auditMessage({
          action: previous === undefined ? 'consent.create' : 'consent.update',
          entityType: 'Consent',
          entityId: consentId,
          patientKey,
          details: { provision: input.provision, status: input.status },
        }),
      ]);
      return accepted({
        result: { created: previous === undefined, consent: { consentId, patientKey, resource } },
        outboxIds,
      });
    });
  }

  async setPolicy(
    orgnr: string,
    policy: ConsentPolicy,
    author: ChangeAuthor,
  ): Promise<PolicyChange> {
    return this.dataSource.transaction(async (manager) => {
      await lockMunicipality(manager, orgnr);
      const current = await manager.getRepository(PolicyRow).findOneBy({ orgnr });
      if (current !== null && current.mode === policy.mode && current.holdFor === policy.holdFor) {
        return { result: { changed: false, policy }, outboxIds: [] };
      }
      const now = new Date();
      await manager.query(
        `INSERT INTO consent.policies (orgnr, mode, hold_for, version, changed_at, changed_by)
         VALUES ($1, $2, $3, 1, $4, $5)
         ON CONFLICT (orgnr) DO UPDATE SET mode = EXCLUDED.mode, hold_for = EXCLUDED.hold_for,
           version = consent.policies.version + 1, changed_at = EXCLUDED.changed_at,
           changed_by = EXCLUDED.changed_by`,
        [orgnr, policy.mode, policy.holdFor, now, author.clientId],
      );
      const outboxIds = await this.enqueue(manager, [
        { stateKey: orgnr },
        author.auditMessage({
          action: 'policy.update',
          entityType: 'ConsentPolicy',
          entityId: orgnr,
          patientKey: null,
          details: { mode: policy.mode, holdFor: policy.holdFor },
        }),
      ]);
      return { result: { changed: true, policy }, outboxIds };
    });
  }

  /** Events held for unregistered patients, per municipality (for the metrics). */
  async heldByMunicipality(): Promise<{ orgnr: string; count: number }[]> {
    const rows: { orgnr: string; count: string }[] = await this.dataSource.query(
      'SELECT orgnr, count(*) AS count FROM consent.held_events GROUP BY orgnr',
    );
    return rows.map((r) => ({ orgnr: r.orgnr, count: Number(r.count) }));
  }

  async recordedPolicy(orgnr: string): Promise<ConsentPolicy | null> {
    const row = await this.dataSource.getRepository(PolicyRow).findOneBy({ orgnr });
    return row === null ? null : { mode: row.mode, holdFor: row.holdFor };
  }

  async searchRegistrations(
    orgnr: string,
    search: RegistrationSearch,
  ): Promise<StoredRegistration[]> {
    const conditions = ['r.orgnr = $1'];
    const parameters: unknown[] = [orgnr];
    if (search.identifier !== null) {
      parameters.push(this.identifierKeyOf(orgnr, search.identifier));
      conditions.push(
        `r.registration_id IN (SELECT registration_id FROM consent.registration_identifiers
                                 WHERE orgnr = $1 AND identifier_key = $${parameters.length})`,
      );
    }
    if (search.service !== null) {
      parameters.push(search.service);
      conditions.push(`$${parameters.length} = ANY(r.services)`);
    }
    if (search.activeOn !== null) {
      parameters.push(search.activeOn);
      const p = `$${parameters.length}::date`;
      conditions.push(`r.valid_from <= ${p} AND (r.valid_to IS NULL OR r.valid_to >= ${p})`);
    }
    parameters.push(search.count);
    const rows: RegistrationDbRow[] = await this.dataSource.query(
      `SELECT ${registrationColumns} FROM consent.registrations r
        WHERE ${conditions.join(' AND ')}
        ORDER BY r.created_at, r.registration_id LIMIT $${parameters.length}`,
      parameters,
    );
    return Promise.all(rows.map((row) => this.withLoans(this.dataSource.manager, row)));
  }

  async searchConsents(orgnr: string, search: ConsentSearch): Promise<StoredConsent[]> {
    const conditions = ['orgnr = $1'];
    const parameters: unknown[] = [orgnr];
    if (search.patient !== null) {
      const identifierKey = this.identifierKeyOf(orgnr, search.patient);
      parameters.push(
        await this.stateKeyOfIdentifier(this.dataSource.manager, orgnr, identifierKey),
      );
      conditions.push(`patient_key = $${parameters.length}`);
    }
    if (search.status !== null) {
      parameters.push(search.status);
      conditions.push(`status = $${parameters.length}`);
    }
    parameters.push(search.count);
    const rows: { consent_id: string; patient_key: string; resource: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT consent_id, patient_key, resource FROM consent.consents
          WHERE ${conditions.join(' AND ')}
          ORDER BY recorded_at DESC, consent_id LIMIT $${parameters.length}`,
        parameters,
      );
    return rows.map((row) => ({
      consentId: row.consent_id,
      patientKey: row.patient_key,
      resource: row.resource,
    }));
  }

  /**
   * The current state under a key, read in the caller's transaction with the key's version
   * row locked, so two publishers of one key publish in version order. A patient key with
   * neither registration nor consents yields an empty state (not a tombstone: a tombstone has
   * no version, and a late one could delete a newer state from a reader's view).
   */
  async currentState(
    manager: EntityManager,
    orgnr: string,
    patientKey: string | null,
  ): Promise<ConsentState | null> {
    if (patientKey === null) {
      const rows: { mode: string; hold_for: string; version: string; changed_at: Date }[] =
        await manager.query(
          `SELECT mode, hold_for, version, changed_at FROM consent.policies
            WHERE orgnr = $1 FOR UPDATE`,
          [orgnr],
        );
      const row = rows[0];
      if (row === undefined) return null;
      return {
        orgnr,
        patientKey: null,
        registration: null,
        consents: [],
        policy: { mode: row.mode, holdFor: row.hold_for },
        version: Number(row.version),
        changedAt: row.changed_at.getTime(),
      };
    }
    const versions: { version: string; changed_at: Date }[] = await manager.query(
      `SELECT version, changed_at FROM consent.patient_states
        WHERE orgnr = $1 AND patient_key = $2 FOR UPDATE`,
      [orgnr, patientKey],
    );
    const version = versions[0];
    if (version === undefined) return null;
    const registrations: RegistrationDbRow[] = await manager.query(
      `SELECT ${registrationColumns} FROM consent.registrations
        WHERE orgnr = $1 AND patient_key = $2`,
      [orgnr, patientKey],
    );
    const registrationRow = registrations[0];
    const registration =
      registrationRow === undefined ? null : await this.withLoans(manager, registrationRow);
    const consents: {
      consent_id: string;
      provision: 'permit' | 'deny';
      status: string;
      services: WelfareService[];
      period_start: string | null;
      period_end: string | null;
      recorded_at: Date;
    }[] = await manager.query(
      `SELECT consent_id, provision, status, services, period_start::text AS period_start,
              period_end::text AS period_end, recorded_at
         FROM consent.consents WHERE orgnr = $1 AND patient_key = $2
        ORDER BY recorded_at DESC, consent_id`,
      [orgnr, patientKey],
    );
    return {
      orgnr,
      patientKey,
      registration:
        registration === null
          ? null
          : {
              registrationId: registration.registrationId,
              identifiers: registration.identifiers,
              services: registration.services,
              validFrom: registration.validFrom,
              validTo: registration.validTo,
              devices: registration.devices,
            },
      consents: consents.map((row): ConsentDirective => ({
        consentId: row.consent_id,
        provision: row.provision,
        status: row.status,
        services: row.services,
        periodStart: row.period_start,
        periodEnd: row.period_end,
        recordedAt: row.recorded_at.getTime(),
        // The FHIR resource stays in the database: the decision does not need it, and the
        // topic is read by every replica.
        fhirJson: null,
      })),
      policy: null,
      version: Number(version.version),
      changedAt: version.changed_at.getTime(),
    };
  }

  /** The state key a patient identifier belongs to: its registration's, else its own. */
  private async stateKeyOfIdentifier(
    manager: EntityManager,
    orgnr: string,
    identifierKey: string,
  ): Promise<string> {
    const rows: { patient_key: string }[] = await manager.query(
      `SELECT r.patient_key FROM consent.registration_identifiers ri
         JOIN consent.registrations r USING (registration_id)
        WHERE ri.orgnr = $1 AND ri.identifier_key = $2`,
      [orgnr, identifierKey],
    );
    return rows[0]?.patient_key ?? identifierKey;
  }

  private async registrationById(
    manager: EntityManager,
    registrationId: string,
  ): Promise<StoredRegistration | undefined> {
    const rows: RegistrationDbRow[] = await manager.query(
      `SELECT ${registrationColumns} FROM consent.registrations WHERE registration_id = $1`,
      [registrationId],
    );
    const row = rows[0];
    return row === undefined ? undefined : this.withLoans(manager, row);
  }

  private async withLoans(
    manager: EntityManager,
    row: RegistrationDbRow,
  ): Promise<StoredRegistration> {
    const loans: {
      device_system: string;
      device_value: string;
      loan_from: string;
      loan_to: string | null;
    }[] = await manager.query(
      `SELECT device_system, device_value, loan_from::text AS loan_from, loan_to::text AS loan_to
           FROM consent.device_loans WHERE registration_id = $1
          ORDER BY device_system, device_value, loan_from`,
      [row.registration_id],
    );
    return {
      registrationId: row.registration_id,
      orgnr: row.orgnr,
      patientKey: row.patient_key,
      identifiers: row.identifiers,
      services: row.services,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      devices: loans.map((loan) => ({
        identifier: { system: loan.device_system, value: loan.device_value },
        from: loan.loan_from,
        to: loan.loan_to,
      })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** A loan in the request that overlaps a loan of the same device to another registration. */
  private async overlappingLoan(
    manager: EntityManager,
    orgnr: string,
    loans: readonly DeviceLoan[],
    ownRegistrationId: string | undefined,
  ): Promise<DeviceLoan | undefined> {
    if (loans.length === 0) return undefined;
    const others: {
      device_system: string;
      device_value: string;
      loan_from: string;
      loan_to: string | null;
    }[] = await manager.query(
      `SELECT device_system, device_value, loan_from::text AS loan_from, loan_to::text AS loan_to
           FROM consent.device_loans
          WHERE orgnr = $1 AND registration_id IS DISTINCT FROM $2::uuid
            AND (device_system, device_value) IN (
              SELECT * FROM unnest($3::text[], $4::text[]))`,
      [
        orgnr,
        ownRegistrationId ?? null,
        loans.map((l) => l.identifier.system),
        loans.map((l) => l.identifier.value),
      ],
    );
    return loans.find((loan) =>
      others.some(
        (other) =>
          other.device_system === loan.identifier.system &&
          other.device_value === loan.identifier.value &&
          loansOverlap(loan, { from: other.loan_from, to: other.loan_to }),
      ),
    );
  }

  /** Bumps the version of each patient key touched (in key order) and enqueues it all. */
  private async recordChange(
    manager: EntityManager,
    orgnr: string,
    patientKeys: readonly string[],
    at: Date,
    messages: readonly OutgoingMessage[],
  ): Promise<string[]> {
    const sorted = [...patientKeys].sort();
    for (const patientKey of sorted) {
      await manager.query(
        `INSERT INTO consent.patient_states (orgnr, patient_key, version, changed_at)
         VALUES ($1, $2, 1, $3)
         ON CONFLICT (orgnr, patient_key) DO UPDATE SET
           version = consent.patient_states.version + 1, changed_at = EXCLUDED.changed_at`,
        [orgnr, patientKey, at],
      );
    }
    return this.enqueue(manager, [
      ...sorted.map((patientKey) => ({ stateKey: stateKeyOf(orgnr, patientKey) })),
      ...messages,
    ]);
  }

  private async enqueue(
    manager: EntityManager,
    entries: readonly (OutgoingMessage | { readonly stateKey: string })[],
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const entry of entries) {
      const rows: { id: string }[] =
        'stateKey' in entry
          ? await manager.query('INSERT INTO consent.outbox (state_key) VALUES ($1) RETURNING id', [
              entry.stateKey,
            ])
          : await manager.query(
              'INSERT INTO consent.outbox (topic, message_key, value) VALUES ($1, $2, $3) RETURNING id',
              [entry.topic, entry.key, entry.value],
            );
      ids.push(...rows.map((row) => row.id));
    }
    return ids;
  }
}

/** Serializes the changes of one municipality for the rest of the transaction. */
async function lockMunicipality(manager: EntityManager, orgnr: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('consent.municipality:' || $1))`, [
    orgnr,
  ]);
}

function requestOf(registration: StoredRegistration): RegistrationRequest {
  return {
    identifiers: registration.identifiers,
    services: registration.services,
    validFrom: registration.validFrom,
    validTo: registration.validTo,
    devices: registration.devices,
  };
}
