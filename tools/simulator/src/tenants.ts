import { orgnrWithCheckDigit } from '@knutepunkt/schemas/testing';
import type { SimulatedTenant } from './simulator';

/**
 * The simulator's own municipalities: the same organisation numbers on every run (so a rerun
 * re-registers the same patients instead of onboarding new municipalities), each with a vendor
 * and an EPJ client named after it.
 */
export function simulatedTenants(count: number): SimulatedTenant[] {
  const tenants: SimulatedTenant[] = [];
  for (let candidate = 97_000_000; tenants.length < count; candidate += 1) {
    let orgnr: string;
    try {
      orgnr = orgnrWithCheckDigit(String(candidate));
    } catch {
      continue; // no valid check digit for this prefix
    }
    tenants.push({ orgnr, vendor: `sim-vendor-${orgnr}`, epj: `sim-epj-${orgnr}` });
  }
  return tenants;
}
