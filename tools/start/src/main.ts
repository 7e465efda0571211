import { join } from 'node:path';
import { ensureStack, stackStatus } from '@knutepunkt/devstack';
import { parseArgs } from 'node:util';
import { HubClient, localApps, Platform } from '@knutepunkt/platform';
import { Simulator } from '@knutepunkt/simulator';
import { demo, onboardDemo } from './demo-onboarding';

const root = join(__dirname, '..', '..', '..');

/** One simulated event every 10 s: enough to see entries arrive, little enough to read them. */
const demoTrafficPerSecond = 0.1;

/**
 * `npm start [-- --quiet]`: the local stack if it is not running, then the five services, each
 * logging to .local/logs/<app>.log, until every one answers /health/ready; then the demo is
 * onboarded and, unless --quiet, a simulated vendor sends events for ten synthetic patients of
 * the demo municipality. It prints where each service's /metrics is, and the local Prometheus
 * (`npm run stack:up -- --with-prometheus`) when it runs. Ctrl-C stops the services (the stack keeps running; `npm run
 * stack:down` stops it).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } });
  const stack = await ensureStack();
  const started = Date.now();
  let stopping = false;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const platform = await Platform.start({
    env: {
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      DATABASE_URL: stack.databaseUrl,
    },
    logDir: join(root, '.local', 'logs'),
    ports: 'local',
    onUnexpectedExit: (app, how) => {
      if (stopping) return;
      console.error(`${app} exited (${how}); see .local/logs/${app}.log`);
      process.exitCode = 1;
      stop();
    },
  });
  function stop(): void {
    stopping = true;
    markStopped();
    void platform.stop();
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const hub = HubClient.of(platform);
  await onboardDemo(hub);
  console.log(
    `\nKnutepunkt is running (all five services ready in ${((Date.now() - started) / 1000).toFixed(1)} s):\n`,
  );
  for (const app of localApps) {
    console.log(
      `  ${app.name.padEnd(15)} http://127.0.0.1:${app.port}   (/health/ready, /metrics; log .local/logs/${app.name}.log)`,
    );
  }
  console.log(
    `\n  onboarded       municipality ${demo.orgnr}, vendor client ${demo.vendor}, EPJ client ${demo.epj}`,
  );
  console.log(`\n  kafka           ${stack.kafkaBrokers.join(',')}`);
  console.log(`  schema registry ${stack.schemaRegistryUrl}`);
  console.log(`  postgresql      ${new URL(stack.databaseUrl).host}`);
  // Each service serves its Prometheus metrics at /metrics (above); a local Prometheus with the
  // repository's rules scraping them is the devstack's optional component.
  const [prometheus] = await stackStatus({ components: ['prometheus'] });
  console.log(
    prometheus?.up
      ? `  prometheus      ${prometheus.description}`
      : '  prometheus      not running: `npm run stack:up -- --with-prometheus` starts one (rules and dashboards queries from deploy/) scraping the /metrics above; it needs `bash tools/ops/ensure-tools.sh --with-prometheus` once',
  );
  if (!values.quiet) {
    const simulator = await Simulator.seed(
      hub,
      [{ orgnr: demo.orgnr, vendor: demo.vendor, epj: demo.epj }],
      { patients: 10, reservedShare: 0.1, firstSeed: 10_000, onboard: false },
    );
    console.log(
      `\n  demo traffic    ${demo.vendor} sends an event every ${String(1 / demoTrafficPerSecond)} s for 10 synthetic patients (one reserved: withheld); --quiet for none`,
    );
    void simulator.run({
      ratePerSecond: demoTrafficPerSecond,
      durationMs: Number.POSITIVE_INFINITY,
      stop: stopped,
    });
  }
  console.log('\nCtrl-C stops the services; `npm run stack:down` stops the stack.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
