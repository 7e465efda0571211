/**
 * What the Confluent wire format costs per WelfareEvent: raw avsc, the
 * @kafkajs/confluent-schema-registry library, and our serde. No network: the library's
 * schema cache is primed and our serde uses the in-memory registry, so only the per-message
 * work is measured.
 *
 *   node -r @swc-node/register libs/schemas/bench/serde.bench.ts
 *
 * Prints ops/s (best of 3 interleaved rounds) and the ratio to raw avsc for a small event
 * (the fixture, ~1 KiB) and a large one (20 KiB of original FHIR resources). Takes ~40 s.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { WelfareEvent } from '../src/generated';
import { createSerde } from '../src/serde';
import { createInMemorySchemaRegistry, aWelfareEvent, anOriginalResource } from '../src/testing';
import { Topics } from '../src/topics';
import { valueType } from '../src/value-schemas';

const durationMs = 1000;
/** Each case runs this many rounds, interleaved with the others; the best round counts (the machine is shared). */
const rounds = 3;

interface Result {
  readonly name: string;
  readonly opsPerSecond: number;
}

function measureSync(name: string, operation: () => unknown): Result {
  for (let i = 0; i < 2000; i += 1) {
    operation(); // warm-up, so the JIT has compiled avsc's generated readers and writers
  }
  let operations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i += 1) {
      operation();
    }
    operations += 200;
    now = process.hrtime.bigint();
  }
  return { name, opsPerSecond: operations / (Number(now - start) / 1e9) };
}

async function measureAsync(name: string, operation: () => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < 2000; i += 1) {
    await operation();
  }
  let operations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i += 1) {
      await operation();
    }
    operations += 200;
    now = process.hrtime.bigint();
  }
  return { name, opsPerSecond: operations / (Number(now - start) / 1e9) };
}

/** A synchronous measurement as one of the cases run by bestOf(). */
function measureSyncAsCase(name: string, operation: () => unknown): Promise<Result> {
  return Promise.resolve(measureSync(name, operation));
}

async function bestOf(cases: ReadonlyArray<() => Promise<Result>>): Promise<Result[]> {
  const best: Result[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, run] of cases.entries()) {
      const result = await run();
      const previous = best[index];
      if (previous === undefined || result.opsPerSecond > previous.opsPerSecond) {
        best[index] = result;
      }
    }
  }
  return best;
}

function print(title: string, baseline: Result, others: readonly Result[]): void {
  process.stdout.write(`\n${title}\n`);
  for (const result of [baseline, ...others]) {
    const ratio = result.opsPerSecond / baseline.opsPerSecond;
    process.stdout.write(
      `  ${result.name.padEnd(44)} ${Math.round(result.opsPerSecond).toLocaleString('en-US').padStart(10)} ops/s  ${ratio.toFixed(2)}x raw\n`,
    );
  }
}

async function benchmark(label: string, event: WelfareEvent): Promise<void> {
  const type = valueType('WelfareEvent');
  const serde = createSerde({ registry: createInMemorySchemaRegistry() });
  const schemaId = await serde.register(Topics.normalized);

  const library = new SchemaRegistry({ host: 'http://127.0.0.1:1' }); // never contacted
  // Primed as the library itself caches a schema after fetching it: an avsc Type for Avro.
  library.cache.setSchema(schemaId, SchemaType.AVRO, type);

  const framed = serde.encode(Topics.normalized, event);
  const payload = type.toBuffer(event);
  process.stdout.write(
    `\n== ${label}: Avro payload ${payload.length} bytes, framed ${framed.length} bytes\n`,
  );

  const libraryFramed = await library.encode(schemaId, event);
  if (!libraryFramed.equals(framed)) {
    throw new Error('The library and our serde frame the same value differently');
  }

  const encodeCases: Array<() => Promise<Result>> = [
    () => measureSyncAsCase('avsc type.toBuffer (no header)', () => type.toBuffer(event)),
    () =>
      measureAsync('@kafkajs/confluent-schema-registry encode', () =>
        library.encode(schemaId, event),
      ),
    () =>
      measureSyncAsCase('knutepunkt serde.encode (sync)', () =>
        serde.encode(Topics.normalized, event),
      ),
  ];
  const decodeCases: Array<() => Promise<Result>> = [
    () => measureSyncAsCase('avsc type.fromBuffer (no header)', () => type.fromBuffer(payload)),
    () => measureAsync('@kafkajs/confluent-schema-registry decode', () => library.decode(framed)),
    () =>
      measureAsync('knutepunkt serde.decode (async, cached id)', () =>
        serde.decode(Topics.normalized, framed),
      ),
  ];
  const [rawEncode, ...encodes] = await bestOf(encodeCases);
  const [rawDecode, ...decodes] = await bestOf(decodeCases);
  if (rawEncode === undefined || rawDecode === undefined) {
    throw new Error('no baseline');
  }
  print('encode', rawEncode, encodes);
  print('decode', rawDecode, decodes);
}

async function main(): Promise<void> {
  process.stdout.write(`node ${process.version}, ${durationMs} ms per case\n`);
  await benchmark('small WelfareEvent (fixture)', aWelfareEvent());
  const largeJson = JSON.stringify({
    resourceType: 'Observation',
    note: [{ text: 'x'.repeat(20 * 1024) }],
  });
  await benchmark(
    'large WelfareEvent (20 KiB original resources)',
    aWelfareEvent({
      originalResources: [anOriginalResource({ resourceType: 'Observation', json: largeJson })],
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
