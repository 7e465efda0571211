export { integrationEnv, assertTestDatabase, uniqueName, eventually } from './test-env';
export { aFreePort } from './free-port';
