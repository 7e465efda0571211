import { adminApi } from '@knutepunkt/service/testing';

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
export async function onboardDemo(ingestUrl: string): Promise<void> {
  const put = await adminApi(ingestUrl);
  await put(`municipalities/${demo.orgnr}`, demo.municipality);
  await put(`clients/${demo.vendor}`, {
    name: 'Demo vendor',
    kind: 'vendor',
    municipalities: [demo.orgnr],
    services: ['TA', 'GPS', 'MD', 'DT', 'DHO'],
    ratePerSecond: 100,
  });
  await put(`clients/${demo.epj}`, {
    name: 'Demo EPJ',
    kind: 'epj',
    municipalities: [demo.orgnr],
  });
}
