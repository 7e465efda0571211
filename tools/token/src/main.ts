import { parseTokenCommand, runTokenCommand, usage } from './cli';

/**
 * `npm run --silent token -- …`: prints one token or proof and nothing else, so that
 * `TOKEN=$(npm run --silent token -- --sub demo-vendor --scope knutepunkt:ingest.write)` works.
 */
async function main(): Promise<void> {
  const parsed = parseTokenCommand(process.argv.slice(2), process.env['INIT_CWD'] ?? process.cwd());
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n\n${usage}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${await runTokenCommand(parsed.command)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
