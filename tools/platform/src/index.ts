export { localApps, type AppName, type LocalApp } from './apps';
export { aFreePort, Platform, type PlatformOptions } from './platform';
export {
  HubClient,
  type Answer,
  type HubUrls,
  type SearchsetBundle,
  type Submitted,
  type SubmissionStatusBody,
} from './hub-client';
