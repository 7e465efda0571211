import type { HubClient } from '@knutepunkt/platform';
import type { SimulatedTenant } from './simulator';

export interface EpjPollerCounts {
  read: number;
  acknowledged: number;
  /** Searches or acknowledgements that failed (the journal-writer away, say) and were retried. */
  errors: number;
}

/**
 * A municipality's EPJ as docs/epj-guide.md tells integrators to write one: follow the `next`
 * cursor, file (here: count) each entry, acknowledge it, poll again when a page is short.
 * The cursor lives in memory only, so a restart of the poller would read from the start again.
 */
export class EpjPoller {
  readonly counts: EpjPollerCounts = { read: 0, acknowledged: 0, errors: 0 };
  /** Entry ids seen, with how many times a search returned them. */
  readonly seen = new Map<string, number>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly hub: HubClient,
    private readonly tenants: readonly SimulatedTenant[],
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    for (const tenant of this.tenants) this.loops.push(this.poll(tenant));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async poll(tenant: SimulatedTenant): Promise<void> {
    let next: string | undefined;
    while (!this.stopped) {
      try {
        const page =
          next === undefined
            ? await this.hub.searchEpj(tenant.epj, tenant.orgnr, { _count: 200 })
            : await this.hub.followNext(tenant.epj, next);
        if (page.status !== 200) throw new Error(`search answered ${String(page.status)}`);
        const entries = page.body.entry ?? [];
        for (const { resource } of entries) {
          this.seen.set(resource.id, (this.seen.get(resource.id) ?? 0) + 1);
          this.counts.read += 1;
          const acknowledged = await this.hub.acknowledge(tenant.epj, tenant.orgnr, resource.id);
          if (acknowledged >= 300) throw new Error(`acknowledge answered ${String(acknowledged)}`);
          this.counts.acknowledged += 1;
        }
        next = page.body.link?.find((link) => link.relation === 'next')?.url ?? next;
        if (entries.length < 200) await sleep(this.intervalMs);
      } catch {
        this.counts.errors += 1;
        await sleep(1000);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
