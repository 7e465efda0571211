import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readProfileRules } from '../../tools/profile-rules';
import { vkpR4Dir } from '../../tools/terminology-xml';
import { vkpMessageDefinitions, vkpProfileRules } from './generated/vkp-profiles';

/**
 * The generated profile rules must say what ../shared/vkp-r4 says. When this fails, run
 *   node -r @swc-node/register libs/fhir/tools/generate-code-systems.ts
 */
describe('generated VKP profile rules', () => {
  it(`finds the VKP R4 StructureDefinitions at ${vkpR4Dir}`, () => {
    expect(existsSync(join(vkpR4Dir, 'StructureDefinition'))).toBe(true);
  });

  it('holds the profiles and message definitions as the files define them', () => {
    const rules = readProfileRules(vkpR4Dir);
    expect(vkpProfileRules).toEqual(rules.profiles);
    expect(vkpMessageDefinitions).toEqual(rules.messageDefinitions);
  });
});
