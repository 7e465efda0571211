/** The five services as `npm start` runs them locally (DESIGN.md "Default local ports"). */
export const localApps = [
  { name: 'ingest', port: 3000 },
  { name: 'consent', port: 3001 },
  { name: 'journal-writer', port: 3002 },
  { name: 'audit', port: 3003 },
  { name: 'normalizer', port: 3004 },
] as const;

export type LocalApp = (typeof localApps)[number];
export type AppName = LocalApp['name'];
