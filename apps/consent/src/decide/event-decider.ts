import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationHeaders, type MessageProducer, type OutgoingMessage } from '@knutepunkt/kafka';
import {
  consentedTopicFor,
  Topics,
  type ConsentState,
  type Identifier,
  type Serde,
  type StatusChange,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import { decideWithView, resolveSubject, type Decision } from '../domain';
import type { ConsentMetrics } from '../consent-metrics';
import type { DecisionState } from './decision-state';

/** An event to decide, with the headers it came with. */
export interface EventToDecide {
  readonly event: WelfareEvent;
  readonly headers: Readonly<Record<string, string>>;
}

interface HeldDbRow {
  seq: string;
  event_id: string;
  event: Buffer;
  held_since: Date;
  until: Date;
}

/**
 * Decides welfare events against the in-memory state (DecisionState) and publishes the
 * outcome: a ConsentedEvent on `consented` (or its urgent twin) with a `consented` status, or
 * a `withheld`/`failed` status with the reason and VKP code. An event whose patient is not
 * registered yet is held in `consent.held_events` and decided again when the registration
 * arrives ({@link releaseFor}) or its hold runs out ({@link sweep}).
 *
 * Per batch, not per event, it makes one database round trip: the batch's event ids go into
 * `consent.decided_events` in the transaction that also holds events, and only ids that were
 * new are decided. The outcome is produced (acks=all) before that transaction commits, so a
 * redelivered batch whose first delivery committed publishes nothing again, and one whose
 * first delivery failed before the commit decides again (at least once; the event id stays
 * the same, so the journal writer drops a repeat).
 */
export class EventDecider {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: DecisionState,
    private readonly producer: MessageProducer,
    private readonly serde: Serde,
    private readonly metrics: ConsentMetrics,
    private readonly identifierKeyOf: (orgnr: string, identifier: Identifier) => string,
    private readonly clock: () => number = Date.now,
  ) {}

  async decideBatch(batch: readonly EventToDecide[]): Promise<void> {
    if (batch.length === 0) return;
    const now = this.clock();
    const held: { event: WelfareEvent; until: number }[] = [];
    await this.dataSource.transaction(async (manager) => {
      // PostgreSQL answers uuids in lower case.
      const ids = [...new Set(batch.map((item) => item.event.eventId.toLowerCase()))];
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO consent.decided_events (event_id, decided_at)
         SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING RETURNING event_id`,
        [ids, new Date(now)],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      const out: OutgoingMessage[] = [];
      for (const { event, headers } of batch) {
        if (!fresh.delete(event.eventId.toLowerCase())) continue;
        const decision = decideWithView(event, this.state.view, now);
        this.count(decision, event);
        if (decision.kind === 'held') {
          held.push({ event, until: decision.until });
          continue;
        }
        out.push(...this.outcomeMessages(event, decision, now, headers));
      }
      if (held.length > 0) {
        await manager.query(
          `INSERT INTO consent.held_events (event_id, orgnr, patient_key, event, held_since, until)
           SELECT * FROM unnest($1::uuid[], $2::char(9)[], $3::text[], $4::bytea[],
                                $5::timestamptz[], $6::timestamptz[])
           ON CONFLICT (event_id) DO NOTHING`,
          [
            held.map(({ event }) => event.eventId),
            held.map(({ event }) => event.orgnr),
            // Only events that name a patient are held (decide.ts).
            held.map(({ event }) => event.patient?.patientKey ?? ''),
            held.map(({ event }) => this.serde.encode(Topics.normalized, event)),
            held.map(() => new Date(now)),
            held.map(({ until }) => new Date(until)),
          ],
        );
      }
      await this.producer.send(out);
    });
    // A registration that reached the view while this batch was being decided found nothing
    // to release yet; release it now (the held rows are committed).
    const nowRegistered = held.filter(
      ({ event }) => resolveSubject(event, this.state.view).kind === 'found',
    );
    for (const { event } of nowRegistered) {
      if (event.patient !== null) await this.releaseKeys(event.orgnr, [event.patient.patientKey]);
    }
  }

  /** Decides again the held events of the patient a (new) registration state names. */
  releaseFor(state: ConsentState): Promise<number> {
    const registration = state.registration;
    if (registration === null || state.patientKey === null) return Promise.resolve(0);
    const keys = new Set([
      state.patientKey,
      ...registration.identifiers.map((identifier) =>
        this.identifierKeyOf(state.orgnr, identifier),
      ),
    ]);
    return this.releaseKeys(state.orgnr, [...keys]);
  }

  /**
   * Held events whose hold has run out (or, with `all`, every held event — once at start, for
   * registrations that arrived while no replica ran) decided again: released when the patient
   * is registered by now, failed with `no registration` otherwise, held on when the policy's
   * hold period has since grown.
   */
  async sweep(scope: 'expired' | 'all', limit = 500): Promise<number> {
    if (scope === 'expired') {
      return (
        await this.redecide(
          `SELECT seq, event_id, event, held_since, until FROM consent.held_events
            WHERE until <= $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [new Date(this.clock()), limit],
        )
      ).decided;
    }
    // Every held event, a page at a time (short transactions), in their order.
    let after = '0';
    let decided = 0;
    for (;;) {
      const page = await this.redecide(
        `SELECT seq, event_id, event, held_since, until FROM consent.held_events
          WHERE seq > $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [after, limit],
      );
      decided += page.decided;
      if (page.lastSeq === null) return decided;
      after = page.lastSeq;
    }
  }

  /** Forgets decided event ids older than the retention (longer than the topics keep events). */
  async pruneDecided(retentionHours: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM consent.decided_events WHERE decided_at < now() - make_interval(hours => $1)`,
      [retentionHours],
    );
  }

  private async releaseKeys(orgnr: string, patientKeys: readonly string[]): Promise<number> {
    const { decided } = await this.redecide(
      `SELECT seq, event_id, event, held_since, until FROM consent.held_events
        WHERE orgnr = $1 AND patient_key = ANY($2::text[]) ORDER BY seq FOR UPDATE SKIP LOCKED`,
      [orgnr, patientKeys],
    );
    return decided;
  }

  /** Decides the selected held events again, in their order; publishes and forgets the decided. */
  private redecide(
    sql: string,
    parameters: unknown[],
  ): Promise<{ readonly decided: number; readonly lastSeq: string | null }> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const rows: HeldDbRow[] = await manager.query(sql, parameters);
      if (rows.length === 0) return { decided: 0, lastSeq: null };
      const now = this.clock();
      const out: OutgoingMessage[] = [];
      const done: string[] = [];
      for (const row of rows) {
        const event = await this.serde.decode(Topics.normalized, row.event);
        const heldSince = row.held_since.getTime();
        const decision = decideWithView(event, this.state.view, now, { heldSince });
        if (decision.kind === 'held') {
          // Held on: only a changed hold period (the policy's) moves its expiry.
          if (decision.until !== row.until.getTime()) {
            await manager.query('UPDATE consent.held_events SET until = $2 WHERE event_id = $1', [
              row.event_id,
              new Date(decision.until),
            ]);
          }
          continue;
        }
        this.count(decision, event);
        out.push(
          ...this.outcomeMessages(event, decision, now, {
            [CorrelationHeaders.causationId]: event.submissionId,
            [CorrelationHeaders.eventId]: event.eventId,
          }),
        );
        done.push(row.event_id);
      }
      await this.producer.send(out);
      if (done.length > 0) {
        await manager.query('DELETE FROM consent.held_events WHERE event_id = ANY($1::uuid[])', [
          done,
        ]);
      }
      this.metrics.released.inc(done.length);
      return { decided: done.length, lastSeq: rows[rows.length - 1]?.seq ?? null };
    });
  }

  private outcomeMessages(
    event: WelfareEvent,
    decision: Exclude<Decision, { kind: 'held' }>,
    now: number,
    headers: Readonly<Record<string, string>>,
  ): OutgoingMessage[] {
    const messageHeaders = {
      ...headers,
      [CorrelationHeaders.correlationId]:
        headers[CorrelationHeaders.correlationId] ?? event.submissionId,
      [CorrelationHeaders.eventId]: event.eventId,
    };
    const status = (change: Pick<StatusChange, 'stage' | 'reason' | 'operationOutcomeCode'>) => {
      const record: StatusChange = {
        submissionId: event.submissionId,
        eventId: event.eventId,
        journalEntryId: null,
        at: now,
        orgnr: event.orgnr,
        clientId: event.clientId,
        reportedBy: 'consent',
        ...change,
      };
      return {
        topic: Topics.status.name,
        key: event.submissionId,
        value: this.serde.encode(Topics.status, record),
        headers: messageHeaders,
      };
    };
    switch (decision.kind) {
      case 'consented': {
        const topic = consentedTopicFor(event.urgent);
        return [
          {
            topic: topic.name,
            key: decision.decision.patient.patientKey,
            value: this.serde.encode(topic, { event, consent: decision.decision }),
            headers: messageHeaders,
          },
          status({ stage: 'consented', reason: null, operationOutcomeCode: null }),
        ];
      }
      case 'withheld':
      case 'failed':
        return [
          status({
            stage: decision.kind,
            reason: decision.reason,
            operationOutcomeCode: decision.operationOutcomeCode,
          }),
        ];
    }
  }

  private count(decision: Decision, event: WelfareEvent): void {
    this.metrics.decisions.inc({
      orgnr: event.orgnr,
      outcome: decision.kind,
      lane: event.urgent ? 'urgent' : 'routine',
    });
  }
}
