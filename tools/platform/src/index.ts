export { localApps, type AppName, type LocalApp } from './apps';
export { Platform, type PlatformOptions } from './platform';
// Where the tools have always found it; it lives with the other test helpers.
export { aFreePort } from '@knutepunkt/testing';
export {
  HubClient,
  type Answer,
  type HubUrls,
  type SearchsetBundle,
  type Submitted,
  type SubmissionStatusBody,
} from './hub-client';
