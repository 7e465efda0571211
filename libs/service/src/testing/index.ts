export { startServiceForTest, describeServiceBoot } from './service-boot';
export { publishRegistryEntries } from './registry';
export { adminApi } from './admin-api';
