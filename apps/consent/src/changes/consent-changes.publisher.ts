import type { DataSource } from 'typeorm';
import type { MessageProducer, OutgoingMessage } from '@knutepunkt/kafka';
import { Topics, type ConsentState, type Serde } from '@knutepunkt/schemas';
import { parseConsentStateKey } from '../domain';
import type { ConsentStore } from '../persistence/consent-store';

export interface PublishedState {
  readonly key: string;
  readonly state: ConsentState;
}

interface OutboxDbRow {
  id: string;
  state_key: string | null;
  topic: string | null;
  message_key: string | null;
  value: Buffer | null;
}

/**
 * Publishes the consent outbox: every change of registration, consent or policy is written
 * to the database together with outbox rows in one transaction; this publishes them
 * afterwards — right away by the request that made the change, and by {@link relay} for rows a
 * crashed or failed request left behind. So a committed change is always published, at least
 * once.
 *
 * A state row is published as the key's *current* state, read with the key's version row
 * locked, so publishers of one key go in version order and the last record of a key on the
 * compacted topic is always the newest state. The rows are deleted in the same transaction
 * once Kafka has acknowledged (acks=all); a crash in between publishes them again, which
 * readers ignore (same version) or dedupe (AuditRecord.auditId).
 */
export class ConsentChangesPublisher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ConsentStore,
    private readonly producer: MessageProducer,
    private readonly serde: Serde,
    private readonly onPublished: (kind: 'state' | 'audit', count: number) => void = () =>
      undefined,
  ) {}

  /** Publishes the given outbox rows (those a change just wrote); returns the states published. */
  publish(outboxIds: readonly string[]): Promise<PublishedState[]> {
    if (outboxIds.length === 0) return Promise.resolve([]);
    return this.publishRows(
      `SELECT id, state_key, topic, message_key, value FROM consent.outbox
        WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
      [outboxIds],
    );
  }

  /** Publishes rows older than `olderThanMs` that no request published (a crash, Kafka down). */
  relay(olderThanMs: number, limit = 500): Promise<PublishedState[]> {
    return this.publishRows(
      `SELECT id, state_key, topic, message_key, value FROM consent.outbox
        WHERE created_at < now() - make_interval(secs => $1)
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [olderThanMs / 1000, limit],
    );
  }

  private publishRows(sql: string, parameters: unknown[]): Promise<PublishedState[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxDbRow[] = await manager.query(sql, parameters);
      if (rows.length === 0) return [];
      const stateKeys = [
        ...new Set(rows.flatMap((row) => (row.state_key === null ? [] : [row.state_key]))),
      ].sort();
      const published: PublishedState[] = [];
      const messages: OutgoingMessage[] = [];
      for (const key of stateKeys) {
        const parsed = parseConsentStateKey(key);
        if (parsed === undefined) continue;
        const state = await this.store.currentState(manager, parsed.orgnr, parsed.patientKey);
        if (state === null) continue;
        published.push({ key, state });
        messages.push({
          topic: Topics.consentChanges.name,
          key,
          value: this.serde.encode(Topics.consentChanges, state),
        });
      }
      const audit = rows.filter((row) => row.topic !== null);
      for (const row of audit) {
        messages.push({ topic: row.topic ?? '', key: row.message_key, value: row.value });
      }
      await this.producer.send(messages);
      await manager.query('DELETE FROM consent.outbox WHERE id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      this.onPublished('state', published.length);
      this.onPublished('audit', audit.length);
      return published;
    });
  }
}
