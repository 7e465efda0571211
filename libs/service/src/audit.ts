import { randomUUID } from 'node:crypto';
import type { Principal } from '@knutepunkt/auth';
import type { OutgoingMessage } from '@knutepunkt/kafka';
import {
  Topics,
  type ActorKind,
  type AuditActor,
  type AuditRecord,
  type Serde,
} from '@knutepunkt/schemas';
import type { AppName } from './service-runtime';

/** The actor of an authenticated request: the token's client and organisation. */
export function actorOf(
  principal: Principal,
  kind: ActorKind,
  system: string | null = null,
): AuditActor {
  return {
    kind,
    clientId: principal.clientId,
    orgnr: principal.orgnrParent ?? null,
    system,
  };
}

/** A service acting on its own (a consumer, a timer). */
export function serviceActor(app: AppName): AuditActor {
  return { kind: 'service', clientId: null, orgnr: null, system: app };
}

export type AuditFacts = Omit<AuditRecord, 'auditId' | 'at' | 'app' | 'details'> & {
  readonly at?: Date;
  readonly details?: Readonly<Record<string, string>>;
};

/** A new AuditRecord recorded by `app`. */
export function auditRecord(app: AppName, facts: AuditFacts): AuditRecord {
  const { at, details, ...rest } = facts;
  return {
    ...rest,
    auditId: randomUUID(),
    at: (at ?? new Date()).getTime(),
    app,
    details: details ?? {},
  };
}

/**
 * The message that carries an AuditRecord on `knutepunkt.audit.v1`: keyed by the patient key
 * (so one patient's records keep their order), else by the actor.
 */
export function auditMessage(serde: Serde, record: AuditRecord): OutgoingMessage {
  return {
    topic: Topics.audit.name,
    key: record.patientKey ?? record.actor.clientId ?? record.actor.system ?? record.app,
    value: serde.encode(Topics.audit, record),
  };
}
