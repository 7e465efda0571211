import { join, relative } from 'node:path';
import { build, repoRoot } from './build';

/**
 * `npm run build`: apps, libs and the deployment tools to plain CommonJS in dist/, with the data
 * files the built code reads at run time (build.ts), so dist/ and node_modules are all the
 * services' image needs (deploy/image/Containerfile). Type checking is `npm run typecheck`'s
 * job, not this one's.
 */
const out = join(repoRoot, 'dist');

build(out).then(
  ({ compiled, dataPaths }) => {
    console.log(
      `built ${compiled} files into ${relative(repoRoot, out)}/, copied ${dataPaths.join(', ')}`,
    );
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
