export { EpjPoller, type EpjPollerCounts } from './epj-poller';
export { Simulator, type Accepted, type SimulatedTenant, type SimulatorCounts } from './simulator';
export { simulatedTenants } from './tenants';
export { retimed } from './traffic';
export type { SimulatedEvent, SimulatedMunicipality, SimulatedPatient } from './traffic';
