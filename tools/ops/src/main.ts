/*
 * npm run ops:generate   writes the Grafana dashboards (deploy/grafana/dashboards/ and the
 *                        chart's copies) and the chart's copy of the Prometheus rules.
 */
import { writeGeneratedFiles } from './generate';

function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command !== 'generate') {
    process.stderr.write('usage: ops generate\n');
    return 2;
  }
  const changed = writeGeneratedFiles();
  process.stdout.write(
    changed.length === 0
      ? 'ops: every generated file is up to date\n'
      : `ops: wrote\n${changed.map((file) => `  ${file}\n`).join('')}`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
