import {
  checkVkpRules,
  ensureFhirDefinitions,
  repairStructure,
  validateStructure,
} from '@knutepunkt/fhir';
import { alarmBundle } from './alarm-bundle';

type Json = Record<string, unknown>;

/** Mean milliseconds per call of `step` over `iterations` calls, after a warm-up. */
function timePerCall<T>(inputs: readonly T[], iterations: number, step: (input: T) => unknown) {
  const input = (i: number) => inputs[i % inputs.length] as T;
  for (let i = 0; i < 500; i += 1) step(input(i));
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) step(input(i));
  return Number(process.hrtime.bigint() - started) / 1e6 / iterations;
}

/**
 * `npm run bench -- fhir-structure [--iterations N]`: what ingest's checks of a submission cost,
 * against JSON.parse of the same body in the same run: parse, parse + repair, parse + repair +
 * FHIR R4 structure validation (medplum), and + the VKP rules (libs/fhir checkVkpRules), for
 * bench:ingest's alarm Bundle, the VKP fixture (Composition, DetectedIssue, Encounter, Device,
 * Patient; it keeps every VKP rule, so the rules run to the end). Then the
 * VKP rules alone per Bundle (on a parsed body), beside the structure validation alone and the
 * bare parse, as ratios.
 */
export function benchFhirStructure(iterations: number): void {
  ensureFhirDefinitions();
  const bodySets: [string, string[]][] = [
    [
      "bench:ingest's alarm Bundle (the VKP fixture)",
      Array.from({ length: 200 }, (_, i) => alarmBundle(i)),
    ],
  ];
  for (const [what, bodies] of bodySets) {
    const bytes = Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length);
    console.log(`\n${what}, ${String(bytes)} bytes:`);
    const parse = (body: string) => JSON.parse(body) as Json;
    const steps: [string, (body: string) => unknown][] = [
      ['JSON.parse (baseline)', parse],
      ['parse + repair', (body) => repairStructure(parse(body))],
      [
        'parse + repair + validate',
        (body) => {
          const resource = parse(body);
          repairStructure(resource);
          return validateStructure(resource);
        },
      ],
      [
        'parse + repair + validate + VKP',
        (body) => {
          const resource = parse(body);
          repairStructure(resource);
          validateStructure(resource);
          return checkVkpRules(resource);
        },
      ],
    ];
    const perOp = steps.map(([name, step]) => {
      const ms = timePerCall(bodies, iterations, step);
      console.log(`${name.padEnd(32)} ${ms.toFixed(3)} ms per submission`);
      return ms;
    });
    // Each check alone, on bodies parsed (and repaired) beforehand.
    const parsed = bodies.map((body) => {
      const resource = parse(body);
      repairStructure(resource);
      return resource;
    });
    const problems = checkVkpRules(parsed[0] ?? {}).length;
    const validateMs = timePerCall(parsed, iterations, validateStructure);
    const vkpMs = timePerCall(parsed, iterations, (resource) => checkVkpRules(resource));
    const [parseMs = 1, , , fullMs = 0] = perOp;
    console.log(`${'validate alone'.padEnd(32)} ${validateMs.toFixed(3)} ms per Bundle`);
    console.log(
      `${'VKP rules alone'.padEnd(32)} ${vkpMs.toFixed(3)} ms per Bundle (${String(problems)} problems found in the first)`,
    );
    console.log(
      `ratios: VKP rules / JSON.parse ${(vkpMs / parseMs).toFixed(1)}×, VKP rules / structure validation ${(vkpMs / validateMs).toFixed(2)}×, whole check path / JSON.parse ${(fullMs / parseMs).toFixed(1)}×`,
    );
  }
}
