/*
 * npm run simulate -- [--rate 5] [--duration 60] [--burst 0] [--municipalities 2] [--patients 20]
 *                     [--reserved-share 0.1] [--epj] [--ingest http://127.0.0.1:3000 …]
 *
 * Synthetic vendor traffic against a running Knutepunkt (`npm start`): onboards its own
 * municipalities, vendors and EPJ clients, registers synthetic patients (a share of them
 * reserved, so their events are withheld), then sends VKP-shaped events at a constant rate.
 * With --epj it also reads and acknowledges the entries as each municipality's EPJ would.
 */
import { parseArgs } from 'node:util';
import { HubClient, localApps } from '@knutepunkt/platform';
import { EpjPoller } from './epj-poller';
import { Simulator } from './simulator';
import { simulatedTenants } from './tenants';

const localUrl = (name: string) =>
  `http://127.0.0.1:${String(localApps.find((app) => app.name === name)?.port ?? 0)}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '5' },
      duration: { type: 'string', default: '60' },
      burst: { type: 'string', default: '0' },
      municipalities: { type: 'string', default: '2' },
      patients: { type: 'string', default: '20' },
      'reserved-share': { type: 'string', default: '0.1' },
      epj: { type: 'boolean', default: false },
      ingest: { type: 'string', default: localUrl('ingest') },
      consent: { type: 'string', default: localUrl('consent') },
      journal: { type: 'string', default: localUrl('journal-writer') },
      audit: { type: 'string', default: localUrl('audit') },
    },
  });
  const hub = new HubClient({
    ingest: values.ingest,
    consent: values.consent,
    journalWriter: values.journal,
    audit: values.audit,
  });
  const tenants = simulatedTenants(Number(values.municipalities));
  const simulator = await Simulator.seed(hub, tenants, {
    patients: Number(values.patients),
    reservedShare: Number(values['reserved-share']),
    firstSeed: 20_000,
  });
  console.log(
    `seeded ${String(tenants.length)} municipalities (${tenants.map((t) => t.orgnr).join(', ')}), ${values.patients} patients each`,
  );
  const poller = values.epj ? new EpjPoller(hub, tenants) : undefined;
  poller?.start();
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  process.once('SIGINT', interrupt);
  const report = setInterval(() => {
    console.log(line(simulator, poller));
  }, 5000);
  const burst = Number(values.burst);
  if (burst > 0) await simulator.burst(burst);
  const seconds = Number(values.duration);
  await simulator.run({
    ratePerSecond: Number(values.rate),
    durationMs: seconds > 0 ? seconds * 1000 : Number.POSITIVE_INFINITY,
    stop: interrupted,
  });
  clearInterval(report);
  await poller?.stop();
  console.log(line(simulator, poller));
}

function line(simulator: Simulator, poller: EpjPoller | undefined): string {
  const { sent, accepted, retried, refused, givenUp, skipped } = simulator.counts;
  const epj = poller
    ? `; EPJ read ${String(poller.counts.read)}, acknowledged ${String(poller.counts.acknowledged)}`
    : '';
  return `sent ${String(sent)}, accepted ${String(accepted)}, retried ${String(retried)}, refused ${String(refused)}, given up ${String(givenUp)}, skipped (patient busy) ${String(skipped)}${epj}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
