export {
  checkVkpRules,
  defaultVkpProfileOf,
  vkpProfilesFor,
  type VkpRuleCode,
  type VkpRuleOptions,
  type VkpRuleProblem,
} from './check-vkp-rules';
export { canonicalSystem } from './known-defects';
export { vkpMessageDefinitions, vkpProfileRules } from './generated/vkp-profiles';
export type {
  ElementRuleData,
  MessageDefinitionData,
  MessageFocusData,
  ProfileRuleData,
} from './profile-data';
