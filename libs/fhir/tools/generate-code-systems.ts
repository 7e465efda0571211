/**
 * Regenerates libs/fhir/src/code-systems/generated/ from the VKP R4 code systems and value
 * sets in ../shared/vkp-r4/{CodeSystem,ValueSet}/*.xml, and libs/fhir/src/vkp-rules/generated/
 * from its StructureDefinitions and MessageDefinition:
 *
 *   node -r @swc-node/register libs/fhir/tools/generate-code-systems.ts
 *
 * Output is formatted with the repository's Prettier settings; modules of code systems or
 * value sets that no longer exist are removed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import {
  profileRulesDir,
  profileRulesModule,
  readProfileRules,
  renderProfileRulesModule,
} from './profile-rules';
import { generatedDir, readTerminology, renderTerminologyModules } from './terminology-xml';

async function main(): Promise<void> {
  const modules = renderTerminologyModules(readTerminology());
  mkdirSync(generatedDir, { recursive: true });
  const wanted = new Set(modules.map((module) => module.path));
  for (const existing of readdirSync(generatedDir)) {
    if (existing.endsWith('.ts') && !wanted.has(existing)) {
      rmSync(join(generatedDir, existing));
    }
  }
  for (const module of modules) {
    const target = join(generatedDir, module.path);
    const options = await resolveConfig(target);
    writeFileSync(target, await format(module.content, { ...options, filepath: target }));
  }
  process.stdout.write(
    `Generated ${modules.length} files in ${relative(process.cwd(), generatedDir)}\n`,
  );
  mkdirSync(profileRulesDir, { recursive: true });
  const rulesTarget = join(profileRulesDir, profileRulesModule);
  const rulesOptions = await resolveConfig(rulesTarget);
  writeFileSync(
    rulesTarget,
    await format(renderProfileRulesModule(readProfileRules()), {
      ...rulesOptions,
      filepath: rulesTarget,
    }),
  );
  process.stdout.write(`Generated ${relative(process.cwd(), rulesTarget)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
