/**
 * Snapshots the current schemas as the released ones of their major version:
 * copies libs/schemas/avro/*.avsc to libs/schemas/avro/released/v<major>/, removing files of
 * types that no longer exist. Run it in the commit that releases a schema change (see the
 * README); it refuses when the current schemas cannot read the last release's data.
 *
 *   node -r @swc-node/register libs/schemas/tools/release-schemas.ts [--major 1]
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findBackwardIncompatibilities } from '../src/compatibility';
import { avroSourceDir, listAvroFiles, readAvroDirectory, releasedAvroRoot } from './avro-files';

function majorFromArguments(argv: readonly string[]): number {
  const index = argv.indexOf('--major');
  const major = index < 0 ? 1 : Number(argv[index + 1]);
  if (!Number.isInteger(major) || major < 1) {
    throw new Error('--major takes a positive integer');
  }
  return major;
}

function main(): void {
  const major = majorFromArguments(process.argv.slice(2));
  const target = join(releasedAvroRoot, `v${major}`);
  const current = readAvroDirectory(avroSourceDir);
  if (existsSync(target)) {
    const incompatibilities = findBackwardIncompatibilities(readAvroDirectory(target), current);
    if (incompatibilities.length > 0) {
      const lines = incompatibilities.map(({ type, reason }) => `  ${type}: ${reason}`);
      throw new Error(
        `The current schemas cannot read data of release v${major}; a breaking change needs new topics (v${major + 1}):\n${lines.join('\n')}`,
      );
    }
  }
  mkdirSync(target, { recursive: true });
  const sources = listAvroFiles(avroSourceDir);
  for (const stale of listAvroFiles(target).filter((name) => !sources.includes(name))) {
    rmSync(join(target, stale));
  }
  for (const name of sources) {
    copyFileSync(join(avroSourceDir, name), join(target, name));
  }
  process.stdout.write(
    `Released ${sources.length} schemas to ${relative(process.cwd(), target)}\n`,
  );
}

main();
