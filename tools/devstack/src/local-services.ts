/**
 * The five services as `npm start` runs them locally (DESIGN.md "Default local ports"). Here, in
 * the lowest of the tools, because the devstack's Prometheus scrapes them and the devstack is
 * loaded by jest's globalSetup without workspace aliases; tools/platform re-exports it.
 */
export const localApps = [
  { name: 'ingest', port: 3000 },
  { name: 'consent', port: 3001 },
  { name: 'journal-writer', port: 3002 },
  { name: 'audit', port: 3003 },
  { name: 'normalizer', port: 3004 },
] as const;

export type LocalApp = (typeof localApps)[number];
export type AppName = LocalApp['name'];

/** The services where `npm start` runs them: app → http://127.0.0.1:<its default port>. */
export function localServiceTargets(): Record<string, string> {
  return Object.fromEntries(
    localApps.map((app) => [app.name, `http://127.0.0.1:${String(app.port)}`]),
  );
}
