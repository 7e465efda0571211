/*
 * npm run ops:live-check [-- --seconds 60]
 *
 * Starts Prometheus (.local/bin/prometheus: `bash tools/ops/ensure-tools.sh --with-prometheus`)
 * on 127.0.0.1:19090 with the repository's rules, scraping the services on their default ports
 * (what `npm start` runs) every 10 s, waits, then evaluates every recording rule and every
 * dashboard panel query over what it scraped and prints which return data. Exits non-zero when
 * an expression over metrics the catalogue marks `exported` returns nothing although its
 * metrics exist, or when a service did not answer its last scrape. The core is
 * live-expressions.ts; live-check.int-spec.ts runs it in CI against services it starts itself.
 * Only loopback addresses are used.
 */
import { localServiceTargets } from '@knutepunkt/devstack';
import { describeVerdict, runLiveCheck } from './live-expressions';

async function main(argv: readonly string[]): Promise<number> {
  const secondsIndex = argv.indexOf('--seconds');
  const seconds = secondsIndex >= 0 ? Number(argv[secondsIndex + 1]) : 60;
  const targets = localServiceTargets();
  const report = await runLiveCheck({
    targets,
    seconds,
    port: 19090,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  for (const result of report.results) {
    process.stdout.write(`${result.source}\n    ${describeVerdict(result)}\n`);
  }
  const firing = report.alerts.filter((alert) => alert.state === 'firing');
  process.stdout.write(`\nfiring: ${JSON.stringify(firing.map((alert) => alert.labels))}\n`);
  const gaps = report.results.filter((r) => r.verdict === 'silent' || r.verdict === 'error');
  process.stdout.write(
    `\n${String(gaps.length)} of ${String(report.results.length)} expressions over exported metrics returned nothing\n`,
  );
  // Without the services every expression is merely "no such event yet": not a pass.
  const down = report.targets.filter((target) => target.health !== 'up');
  for (const target of down) {
    process.stdout.write(`target ${target.job} ${target.health}: ${target.lastError}\n`);
  }
  if (down.length > 0) process.stdout.write('(are the services running? npm start)\n');
  return gaps.length === 0 && down.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
