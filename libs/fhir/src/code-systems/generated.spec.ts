import { existsSync, readdirSync } from 'node:fs';
import {
  generatedDir,
  readTerminology,
  renderTerminologyModules,
  vkpR4Dir,
} from '../../tools/terminology-xml';
import { generatedCodeSystems, generatedValueSets } from './generated';

/**
 * The generated modules must say what the XML in ../shared/vkp-r4 says. When this fails, run
 *   node -r @swc-node/register libs/fhir/tools/generate-code-systems.ts
 * A missing ../shared/vkp-r4 fails here too: the check never passes without its input.
 */
describe('generated VKP code systems and value sets', () => {
  it(`finds the VKP R4 artefacts at ${vkpR4Dir}`, () => {
    expect(existsSync(vkpR4Dir)).toBe(true);
  });

  const terminology = (): ReturnType<typeof readTerminology> => readTerminology(vkpR4Dir);

  it('has exactly one module per code system and value set in the XML, plus the index', () => {
    const expected = renderTerminologyModules(terminology())
      .map((module) => module.path)
      .sort();
    const committed = readdirSync(generatedDir)
      .filter((name) => name.endsWith('.ts'))
      .sort();

    expect(committed).toEqual(expected);
  });

  it('holds the code systems as the XML defines them', () => {
    expect(generatedCodeSystems).toEqual(terminology().codeSystems.map(({ data }) => data));
  });

  it('holds the value sets as the XML defines them', () => {
    expect(generatedValueSets).toEqual(terminology().valueSets.map(({ data }) => data));
  });
});
