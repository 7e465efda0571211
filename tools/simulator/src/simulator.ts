import { randomUUID } from 'node:crypto';
import type { HubClient } from '@knutepunkt/platform';
import {
  nextMixedEvent,
  simulatedPatients,
  type Random,
  type SimulatedEvent,
  type SimulatedMunicipality,
  type VendorExample,
} from './traffic';
import { vendorExamples } from './vendor-examples';

/** The share of events sent as a device's own JSON through a vendor template. */
const vendorJsonShare = 0.15;

export interface SimulatedTenant {
  readonly orgnr: string;
  /** The vendor client that submits for it (one vendor serves all its services). */
  readonly vendor: string;
  readonly epj: string;
}

export interface Accepted {
  readonly submissionId: string;
  readonly location: string;
  readonly event: SimulatedEvent;
  readonly vendor: string;
  /** When it was answered 202 (or 200, a repeat of an earlier 202 after a lost answer). */
  readonly at: number;
  /**
   * When the request that was accepted went out. The hub may deliver an event before a busy
   * vendor has read its 202 (the event is durable before the answer), so latencies are counted
   * from here: an upper bound, never negative.
   */
  readonly sentAt: number;
}

export interface SimulatorCounts {
  sent: number;
  accepted: number;
  /** Answers that were not 202/200 and were retried (503 while Kafka is away, 429, no answer). */
  retried: number;
  /** Refused for good (4xx other than 429): the vendor's event is wrong. */
  refused: number;
  /** Still unanswered after the retries, or when run() was stopped. */
  givenUp: number;
  /** Arrivals not sent because every patient drawn had a submission still in flight. */
  skipped: number;
}

const maxAttempts = 200;

/**
 * Simulated vendors sending at a constant arrival rate. Each event carries its own
 * Idempotency-Key and is retried with it, as a careful vendor does, until the hub answers 202
 * (or 200: it had it already); only then does the next event of the same patient go out, so
 * each patient's events are accepted in the order they were made.
 */
export class Simulator {
  readonly counts: SimulatorCounts = {
    sent: 0,
    accepted: 0,
    retried: 0,
    refused: 0,
    givenUp: 0,
    skipped: 0,
  };
  readonly accepted: Accepted[] = [];
  private readonly busyPatients = new Set<string>();
  /** Set when run()'s `stop` resolves: no more arrivals, and no more retries. */
  private halted = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly hub: HubClient,
    private readonly tenants: readonly SimulatedTenant[],
    readonly municipalities: readonly SimulatedMunicipality[],
    private readonly random: Random = Math.random,
    private readonly examples: readonly VendorExample[] = vendorExamples(),
  ) {}

  /**
   * Onboards each municipality (opt-out), its vendor and EPJ clients (unless `onboard` is
   * false: they exist already), registers its patients for their services and reserves the
   * `reserved` ones, all through the hub's APIs.
   */
  static async seed(
    hub: HubClient,
    tenants: readonly SimulatedTenant[],
    options: {
      patients: number;
      reservedShare: number;
      firstSeed: number;
      onboard?: boolean;
      random?: Random;
    },
  ): Promise<Simulator> {
    const random = options.random ?? Math.random;
    const municipalities: SimulatedMunicipality[] = [];
    for (const [index, tenant] of tenants.entries()) {
      if (options.onboard !== false) await onboard(hub, tenant);
      const patients = simulatedPatients(
        options.firstSeed + index * options.patients,
        options.patients,
        options.reservedShare,
        random,
      );
      for (const patient of patients) {
        await hub.registerPatient(tenant.orgnr, {
          identifiers: [patient.identifier],
          services: patient.services,
          validFrom: '2020-01-01',
        });
        if (patient.reserved) {
          await hub.reservePatient(tenant.orgnr, patient.identifier);
        }
      }
      municipalities.push({ orgnr: tenant.orgnr, patients });
    }
    return new Simulator(hub, tenants, municipalities, random);
  }

  /**
   * Sends `ratePerSecond` events a second (open model: arrivals do not wait for answers) for
   * `durationMs` or until `arrivalsEnd` resolves, then waits for the submissions in flight to be
   * accepted. `stop` ends it at once: no more arrivals and no more retries (Ctrl-C).
   */
  async run(options: {
    ratePerSecond: number;
    durationMs: number;
    arrivalsEnd?: Promise<void>;
    stop?: Promise<void>;
  }): Promise<void> {
    const started = Date.now();
    const arrivals = { ended: false };
    void options.arrivalsEnd?.then(() => {
      arrivals.ended = true;
    });
    void options.stop?.then(() => {
      this.halted = true;
    });
    const intervalMs = 1000 / options.ratePerSecond;
    for (
      let n = 0;
      !this.halted && !arrivals.ended && Date.now() - started < options.durationMs;
      n += 1
    ) {
      const due = started + n * intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.sendOne();
    }
    await this.drain();
  }

  /** `count` events at once (a burst), then waits for every answer. */
  async burst(count: number): Promise<void> {
    for (let n = 0; n < count; n += 1) this.sendOne();
    await this.drain();
  }

  private sendOne(): void {
    const event = this.nextFreeEvent();
    if (event === undefined) {
      this.counts.skipped += 1; // every patient drawn was busy: dropped, not queued
      return;
    }
    const key = patientKeyOf(event);
    this.busyPatients.add(key);
    const sending = this.submitUntilAccepted(event).finally(() => {
      this.busyPatients.delete(key);
      this.inFlight.delete(sending);
    });
    this.inFlight.add(sending);
  }

  private nextFreeEvent(): SimulatedEvent | undefined {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const event = nextMixedEvent(
        this.municipalities,
        Date.now(),
        this.random,
        this.examples,
        vendorJsonShare,
      );
      if (!this.busyPatients.has(patientKeyOf(event))) return event;
    }
    return undefined;
  }

  private async submitUntilAccepted(event: SimulatedEvent): Promise<void> {
    const tenant = this.tenants.find((t) => t.orgnr === event.orgnr);
    if (!tenant) throw new Error(`no tenant for ${event.orgnr}`);
    const idempotencyKey = randomUUID();
    this.counts.sent += 1;
    for (let attempt = 1; attempt <= maxAttempts && !this.halted; attempt += 1) {
      const headers = { 'idempotency-key': idempotencyKey };
      const sentAt = Date.now();
      const answer = await (
        event.route === 'fhir'
          ? this.hub.submit(tenant.vendor, event.orgnr, event.type, event.body, headers)
          : this.hub.submitVendorJson(tenant.vendor, event.orgnr, event.type, event.body, headers)
      ).catch(() => undefined);
      if (answer && (answer.status === 202 || answer.status === 200) && answer.location) {
        this.counts.accepted += 1;
        this.accepted.push({
          submissionId: submissionIdOf(answer.location),
          location: answer.location,
          event,
          vendor: tenant.vendor,
          at: Date.now(),
          sentAt,
        });
        return;
      }
      if (answer && answer.status !== 429 && answer.status < 500) {
        this.counts.refused += 1;
        console.error(
          `refused ${event.label} (${String(answer.status)}): ${describe(answer.body)}`,
        );
        return;
      }
      this.counts.retried += 1;
      const retryAfter = answer?.retryAfterSeconds ?? 1;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(Math.max(retryAfter, 0.2), 5) * 1000),
      );
    }
    this.counts.givenUp += 1;
  }

  private async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

async function onboard(hub: HubClient, tenant: SimulatedTenant): Promise<void> {
  await hub.onboardMunicipality(tenant.orgnr, {
    name: `Simulert kommune ${tenant.orgnr}`,
    identifierSystems: [],
    policy: { mode: 'opt-out', holdFor: 'PT1H' },
  });
  await hub.onboardVendor(tenant.vendor, tenant.orgnr, { name: 'Simulated vendor' });
  await hub.onboardClient(tenant.epj, {
    name: 'Simulated EPJ',
    kind: 'epj',
    municipalities: [tenant.orgnr],
  });
}

function patientKeyOf(event: SimulatedEvent): string {
  return `${event.orgnr}|${event.patient.identifier.value}`;
}

/** `/fhir/{orgnr}/{type}/{submissionId}/$status` → the submission id. */
function submissionIdOf(location: string): string {
  const parts = location.split('/');
  return parts[parts.length - 2] ?? location;
}

function describe(body: unknown): string {
  return JSON.stringify(body).slice(0, 300);
}
