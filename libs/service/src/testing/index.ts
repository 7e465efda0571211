export { startServiceForTest, describeServiceBoot } from './service-boot';
