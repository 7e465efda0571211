import type { HubClient } from '@knutepunkt/platform';

/** The demo municipality, vendor and EPJ client `npm start` onboards (README "Trying it"). */
export const demo = {
  orgnr: '921234562',
  municipality: {
    name: 'Demo kommune',
    identifierSystems: ['https://epj.example-kommune.no/lopenummer'],
    policy: { mode: 'opt-out', holdFor: 'PT24H' },
  },
  vendor: 'vendor-a',
  epj: 'epj-demo',
} as const;

/**
 * Onboards the demo through the admin API, as an operator would (idempotent PUTs, so a
 * restart changes nothing).
 */
export async function onboardDemo(hub: HubClient): Promise<void> {
  await hub.onboardMunicipality(demo.orgnr, demo.municipality);
  await hub.onboardVendor(demo.vendor, demo.orgnr, { name: 'Demo vendor', ratePerSecond: 100 });
  await hub.onboardClient(demo.epj, {
    name: 'Demo EPJ',
    kind: 'epj',
    municipalities: [demo.orgnr],
  });
}
