/**
 * node -r @swc-node/register tools/devstack/src/cli.ts <up|down|status> [component…] [--with-<optional component>…]
 *
 *   up      start what is not running (dependency order), print where everything runs; exit 1 if something failed
 *           (`up --with-prometheus` also starts the optional Prometheus)
 *   down    stop what the devstack started (pid files), in reverse order, optional components included
 *   status  print the table (an optional component only while it runs); exit 0 when everything is up, 3 otherwise
 */
import { DevstackError } from './errors';
import { formatStatus, stackStatus, stopStack, upStack } from './index';

const USAGE =
  'usage: devstack <up|down|status> [kafka|postgres|schema-registry|prometheus …] [--with-prometheus]';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const components = rest.filter((arg) => !arg.startsWith('--'));
  const flags = rest.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((flag) => !/^--with-[a-z][a-z0-9-]*$/.test(flag));
  if (unknown.length > 0) {
    process.stderr.write(`devstack: unknown option ${unknown.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const withOptional = flags.map((flag) => flag.slice('--with-'.length));
  switch (command ?? '') {
    case 'up': {
      const started = Date.now();
      const result = await upStack({ components, with: withOptional });
      process.stdout.write(`${formatStatus(result.states)}\n`);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.failed.length > 0) {
        // The full messages (with log tails) were printed as they happened: one line each here.
        process.stderr.write(
          `\nnot up:\n${result.failed.map((f) => `  ${f.name}: ${f.error.split('\n')[0] ?? ''}`).join('\n')}\n`,
        );
        return 1;
      }
      process.stdout.write(
        result.started.length === 0
          ? `everything was already up (${seconds} s)\n`
          : `started ${result.started.join(', ')} in ${seconds} s\n`,
      );
      return 0;
    }
    case 'down': {
      const stopped = await stopStack({ components });
      process.stdout.write(
        stopped.length === 0
          ? 'nothing to stop: the devstack started nothing that still runs\n'
          : `stopped ${stopped.join(', ')}\n`,
      );
      return 0;
    }
    case 'status': {
      const states = await stackStatus({ components, with: withOptional });
      process.stdout.write(`${formatStatus(states)}\n`);
      return states.every((state) => state.up) ? 0 : 3;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      error instanceof DevstackError
        ? `devstack: ${error.message}\n`
        : `devstack: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
