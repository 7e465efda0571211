import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { parse as parseYaml } from 'yaml';
// The build is the other half of the contract: the files it produces are what the chart runs.
import { buildSources, builtPathOf, runtimeDataPaths, sourceRoots } from '@knutepunkt/build';
import { parseContainerfile, type Stage } from './containerfile';
import { chartDir, repoRoot } from './helm';
import { ofKind } from './manifests';
import { ciValuesFiles, renderChart } from './render';

/**
 * The services' image (deploy/image/Containerfile) cannot be built here (no container engine),
 * so these tests hold it to what the chart expects of it: the user the pods run as, the working
 * directory the containers start in, `node` as the entry point and a `sleep` for preStop, and
 * for every command the chart renders, a file the build produces and the image ships.
 */
const containerfilePath = 'deploy/image/Containerfile';
const containerfile = parseContainerfile(
  readFileSync(path.join(repoRoot, containerfilePath), 'utf8'),
);
const finalStage = (): Stage => {
  const stage = containerfile.stages.at(-1);
  if (!stage) throw new Error(`${containerfilePath} has no stage`);
  return stage;
};
const stageNamed = (name: string | undefined): Stage => {
  const stage = containerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`${containerfilePath} has no stage ${String(name)}`);
  return stage;
};

interface ChartValues {
  readonly image: { readonly registry: string; readonly repository: string; workingDir: string };
  readonly podSecurityContext: { readonly runAsUser: number; readonly runAsGroup: number };
}
const values = parseYaml(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as ChartValues;
const chart = parseYaml(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as {
  appVersion: string;
};
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

/** Every pod template the chart renders with a ci/ values file: services, hooks, CronJob. */
function podTemplates(): { name: string; pod: IPodTemplateSpec }[] {
  return ciValuesFiles.flatMap((file) => {
    const objects = renderChart({ valuesFiles: [file], releaseName: 'knutepunkt' });
    const named = (name: string | undefined, pod: IPodTemplateSpec | undefined) => {
      if (!pod) throw new Error(`${String(name)} has no pod template`);
      return { name: `${file}: ${String(name)}`, pod };
    };
    return [
      ...ofKind<IDeployment>(objects, 'Deployment').map((o) =>
        named(o.metadata?.name, o.spec?.template),
      ),
      ...ofKind<IJob>(objects, 'Job').map((o) => named(o.metadata?.name, o.spec?.template)),
      ...ofKind<ICronJob>(objects, 'CronJob').map((o) =>
        named(o.metadata?.name, o.spec?.jobTemplate.spec?.template),
      ),
    ];
  });
}

let rendered: { name: string; pod: IPodTemplateSpec }[] | undefined;
const pods = (): { name: string; pod: IPodTemplateSpec }[] => (rendered ??= podTemplates());
const containers = () =>
  pods().flatMap(({ name, pod }) =>
    (pod.spec?.containers ?? []).map((container) => ({ name, container })),
  );

describe(containerfilePath, () => {
  it('has a build stage and a final stage on the same Node.js, the one the tests run on', () => {
    expect(containerfile.stages.length).toBeGreaterThanOrEqual(2);
    const version = containerfile.args.get('NODE_VERSION') ?? '';
    expect(version.split('.')[0]).toBe(process.versions.node.split('.')[0]);
    for (const stage of containerfile.stages) expect(stage.image).toContain('${NODE_VERSION}');
  });

  it('runs as the numeric user and group the chart runs every pod as, and creates them', () => {
    const { runAsUser, runAsGroup } = values.podSecurityContext;
    expect(finalStage().user).toBe(`${String(runAsUser)}:${String(runAsGroup)}`);
    const creates = finalStage().runs.join('\n');
    expect(creates).toMatch(new RegExp(`groupadd[^\\n]*--gid ${String(runAsGroup)}\\b`));
    expect(creates).toMatch(
      new RegExp(`useradd[^\\n]*--uid ${String(runAsUser)} --gid ${String(runAsGroup)}\\b`),
    );
    expect(pods().length).toBeGreaterThan(0);
    for (const { name, pod } of pods()) {
      expect({ name, ...pod.spec?.securityContext }).toMatchObject({
        name,
        runAsNonRoot: true,
        runAsUser,
        runAsGroup,
      });
    }
  });

  it('puts dist/ and the production node_modules in the working directory every container starts in', () => {
    const workdir = values.image.workingDir;
    expect(finalStage().workdir).toBe(workdir);
    for (const { name, container } of containers()) {
      expect({ name, workingDir: container.workingDir }).toEqual({ name, workingDir: workdir });
    }
    for (const directory of ['dist', 'node_modules']) {
      const copy = finalStage().copies.find(
        (c) => c.destination === path.posix.join(workdir, directory),
      );
      expect(copy?.from).toBeDefined();
      const from = stageNamed(copy?.from);
      expect(copy?.sources).toEqual([path.posix.join(from.workdir, directory)]);
    }
  });

  it('builds dist/ from every source root the build compiles, then prunes to production dependencies', () => {
    const build = stageNamed(finalStage().copies.find((c) => c.from !== undefined)?.from);
    const copied = build.copies.flatMap((c) => c.sources);
    for (const root of [...sourceRoots, 'tools/build']) expect(copied).toContain(root);
    for (const data of runtimeDataPaths) {
      expect(sourceRoots.some((root) => data.startsWith(`${root}/`))).toBe(true);
    }
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.base.json']),
    );
    const steps = build.runs;
    const install = steps.findIndex((run) => /^npm ci\b/.test(run));
    const compile = steps.findIndex((run) => /^npm run build\b/.test(run));
    const prune = steps.findIndex((run) => /^npm prune\b.*--omit=dev/.test(run));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(compile).toBeGreaterThan(install);
    expect(prune).toBeGreaterThan(compile);
  });

  it('runs `node` as its entry point and checks that `node` and the preStop command exist', () => {
    expect(finalStage().entrypoint).toEqual(['node']);
    const checked = finalStage()
      .runs.flatMap((run) => [...run.matchAll(/command -v (\S+)/g)])
      .map((match) => match[1]);
    const preStop = new Set(
      containers().flatMap(
        ({ container }) => container.lifecycle?.preStop?.exec?.command?.[0] ?? [],
      ),
    );
    expect([...preStop]).toEqual(['sleep']);
    expect(checked).toEqual(expect.arrayContaining(['node', ...preStop]));
  });

  it('ships every file a container of the chart runs, with `node`', () => {
    const built = new Set(buildSources().map((source) => `dist/${builtPathOf(source)}`));
    const commands = containers().map(({ name, container }) => ({
      name,
      command: container.command ?? [],
    }));
    expect(commands.length).toBeGreaterThan(0);
    for (const { name, command } of commands) {
      // The entry point of the image, never npm or npx (they want a writable home).
      expect({ name, program: command[0] }).toEqual({ name, program: 'node' });
      expect({ name, script: command[1], built: built.has(command[1] ?? '') }).toEqual({
        name,
        script: command[1],
        built: true,
      });
    }
    const scripts = new Set(commands.map(({ command }) => command[1]));
    expect([...scripts].sort()).toEqual(
      [
        'dist/apps/audit/src/main.js',
        'dist/apps/consent/src/main.js',
        'dist/apps/ingest/src/main.js',
        'dist/apps/journal-writer/src/main.js',
        'dist/apps/normalizer/src/main.js',
        'dist/tools/catalog/src/main.js',
      ].sort(),
    );
  });

  it('is built with the tag the chart pulls by default: package.json’s version, the chart’s appVersion', () => {
    expect(chart.appVersion).toBe(packageJson.version);
    const text = readFileSync(path.join(repoRoot, containerfilePath), 'utf8');
    const reference = `${values.image.registry}/${values.image.repository}:${chart.appVersion}`;
    expect(text).toContain(`-t ${reference} .`);
  });
});

describe('parseContainerfile', () => {
  it('joins continued lines, drops comments and resolves WORKDIR and COPY destinations', () => {
    const parsed = parseContainerfile(
      [
        'ARG V=1',
        'FROM base:${V} AS build',
        'WORKDIR /src',
        '# a comment',
        'RUN a \\',
        '  # inside',
        '  && b',
        'FROM base:${V}',
        'WORKDIR /app',
        'WORKDIR sub',
        'COPY --from=build /src/dist ./dist',
        'USER 1:2',
        'ENTRYPOINT ["node"]',
      ].join('\n'),
    );
    expect(parsed.args).toEqual(new Map([['V', '1']]));
    expect(parsed.stages[0]).toMatchObject({ name: 'build', workdir: '/src', runs: ['a && b'] });
    expect(parsed.stages[1]).toMatchObject({
      name: undefined,
      workdir: '/app/sub',
      user: '1:2',
      entrypoint: ['node'],
      copies: [{ from: 'build', sources: ['/src/dist'], destination: '/app/sub/dist' }],
    });
  });

  it('refuses an entry point in shell form', () => {
    expect(() => parseContainerfile('FROM x\nENTRYPOINT node')).toThrow(/exec form/);
  });
});
