import { ensureFhirDefinitions, repairStructure, validateStructure } from '@knutepunkt/fhir';
import { alarmBundle } from './alarm-bundle';

/**
 * `npm run bench -- fhir-structure [--iterations N]`: what ingest's FHIR R4 structure check
 * costs per submission (the realistic alarm Bundle), against JSON.parse of the same body in the
 * same run: parse, parse + repair, parse + repair + validate (medplum).
 */
export function benchFhirStructure(iterations: number): void {
  ensureFhirDefinitions();
  const bodies = Array.from({ length: 200 }, (_, i) => alarmBundle(i));
  const steps: [string, (body: string) => unknown][] = [
    ['JSON.parse (baseline)', (body) => JSON.parse(body) as unknown],
    ['parse + repair', (body) => repairStructure(JSON.parse(body) as Record<string, unknown>)],
    [
      'parse + repair + validate',
      (body) => {
        const resource = JSON.parse(body) as Record<string, unknown>;
        repairStructure(resource);
        return validateStructure(resource);
      },
    ],
  ];
  const perOp: number[] = [];
  for (const [name, step] of steps) {
    for (let i = 0; i < 500; i += 1) step(bodies[i % bodies.length] ?? '');
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) step(bodies[i % bodies.length] ?? '');
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / iterations;
    perOp.push(ms);
    console.log(`${name.padEnd(28)} ${ms.toFixed(3)} ms per submission`);
  }
  const [baseline = 1, , full = 0] = perOp;
  console.log(`ratio validate path / JSON.parse: ${(full / baseline).toFixed(1)}×`);
}
