/**
 * Regenerates libs/schemas/src/generated/ from libs/schemas/avro/*.avsc.
 *
 *   node -r @swc-node/register libs/schemas/tools/generate-types.ts
 *
 * Stale generated files (of types that no longer exist) are removed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { avroSourceDir, generatedDir, readAvroDirectory } from './avro-files';
import { generateTypeScript } from './type-generator';

function main(): void {
  const files = generateTypeScript(readAvroDirectory(avroSourceDir));
  mkdirSync(generatedDir, { recursive: true });
  const wanted = new Set(files.map((file) => file.path));
  for (const existing of readdirSync(generatedDir)) {
    if (existing.endsWith('.ts') && !wanted.has(existing)) {
      rmSync(join(generatedDir, existing));
    }
  }
  for (const file of files) {
    writeFileSync(join(generatedDir, file.path), file.content);
  }
  process.stdout.write(
    `Generated ${files.length} files in ${relative(process.cwd(), generatedDir)}\n`,
  );
}

main();
