export { integrationEnv, assertTestDatabase, uniqueName, eventually } from './test-env';
