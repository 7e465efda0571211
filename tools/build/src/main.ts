import { transformFile, type Options } from '@swc/core';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * `npm run build`: apps, libs and the deployment tools to plain CommonJS in dist/, the tree kept as it is
 * (dist/apps/<app>/src/main.js), path aliases rewritten to relative requires, decorator
 * metadata emitted for Nest. Type checking is `npm run typecheck`'s job, not this one's.
 */
const root = join(__dirname, '..', '..', '..');
const out = join(root, 'dist');
const sourceRoots = ['apps', 'libs', 'tools/catalog'];
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const skipped = /\.(int-)?spec\.ts$|\/testing\/|\/bench\/|\/tools\//;

const options: Options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !skipped.test(relative(root, path))
    )
      yield path;
  }
}

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const files = sourceRoots.flatMap((dir) => [...sources(join(root, dir))]);
  await Promise.all(
    files.map(async (file) => {
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
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
  console.log(`built ${files.length} files into ${relative(root, out)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
