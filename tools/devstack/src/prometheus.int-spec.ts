/**
 * The optional Prometheus component (`npm run stack:up -- --with-prometheus`), started alone on
 * a free port with its pid file, log and TSDB in a temporary folder: the shared stack (and a
 * developer's Prometheus on 9090) is not touched. Needs .local/bin/prometheus
 * (`bash tools/ops/ensure-tools.sh --with-prometheus`).
 *
 *   npx jest -c jest.int.config.js tools/devstack/src/prometheus.int-spec.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aFreePort } from '@knutepunkt/testing';
import { localApps } from './local-services';
import type { StackPaths } from './component';
import { prometheusComponent } from './components/prometheus';
import { findRepoRoot } from './paths';
import { livePid } from './process';
import { componentStates, downComponents, upComponents } from './stack';

jest.setTimeout(120_000);

function temporaryPaths(root: string): StackPaths {
  const local = fs.mkdtempSync(path.join(os.tmpdir(), 'devstack-prometheus-'));
  const paths = { root, local, logs: path.join(local, 'logs'), run: path.join(local, 'run') };
  fs.mkdirSync(paths.logs);
  fs.mkdirSync(paths.run);
  return paths;
}

describe('the optional prometheus component', () => {
  const paths = temporaryPaths(findRepoRoot());
  afterAll(() => {
    fs.rmSync(paths.local, { recursive: true, force: true });
  });

  it('starts with the rules and the five services as targets, shows in the status, and stops', async () => {
    const port = await aFreePort();
    const prometheus = prometheusComponent({ name: 'prometheus-int', port });
    try {
      const up = await upComponents(paths, [prometheus]);
      expect(up.failed).toEqual([]);
      expect(up.started).toEqual(['prometheus-int']);
      const [state] = await componentStates(paths, [prometheus]);
      expect(state).toMatchObject({ name: 'prometheus-int', up: true });
      expect(state?.pid).toBeGreaterThan(1);
      expect(state?.description).toContain(`http://127.0.0.1:${String(port)}`);

      const api = async <T>(route: string): Promise<T> => {
        const response = await fetch(`http://127.0.0.1:${String(port)}${route}`);
        return ((await response.json()) as { data: T }).data;
      };
      const rules = await api<{ groups: { name: string; rules: { name: string }[] }[] }>(
        '/api/v1/rules',
      );
      const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.name));
      expect(alerts).toEqual(
        expect.arrayContaining(['KnutepunktServiceDown', 'KnutepunktDLQNotEmpty']),
      );
      // Prometheus hands its targets to the scrape manager a few seconds after it is ready.
      const scraped = async (): Promise<string[]> => {
        const targets = await api<{
          activeTargets: { labels: Record<string, string>; scrapeUrl: string }[];
        }>('/api/v1/targets');
        return targets.activeTargets
          .map((target) => `${target.labels['job'] ?? ''} ${target.scrapeUrl}`)
          .sort();
      };
      const expected = localApps
        .map((app) => `${app.name} http://127.0.0.1:${String(app.port)}/metrics`)
        .sort();
      const deadline = Date.now() + 30_000;
      let seen = await scraped();
      while (seen.length < expected.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        seen = await scraped();
      }
      expect(seen).toEqual(expected);

      // A second up starts nothing.
      expect((await upComponents(paths, [prometheus])).started).toEqual([]);
    } finally {
      expect(await downComponents(paths, [prometheus])).toEqual(['prometheus-int']);
    }
    expect(await prometheus.isUp(paths)).toBe(false);
    expect(livePid(paths, 'prometheus-int')).toBeUndefined();
  });

  it('without the binary, says which command builds it', async () => {
    const elsewhere = temporaryPaths(paths.local);
    const prometheus = prometheusComponent({ name: 'prometheus-int', port: await aFreePort() });
    const up = await upComponents(elsewhere, [prometheus]);
    expect(up.failed).toEqual([
      {
        name: 'prometheus-int',
        error: expect.stringContaining(
          'bash tools/ops/ensure-tools.sh --with-prometheus',
        ) as unknown,
      },
    ]);
  });
});
