export { startServiceForTest, describeServiceBoot } from './service-boot';
export { publishRegistryEntries } from './registry';
