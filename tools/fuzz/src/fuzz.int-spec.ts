import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/**
 * A short fuzz run in CI (`npm run fuzz` with few examples and a fixed seed, so it explores the
 * same way each time): Schemathesis against ingest's own OpenAPI description on the real stack.
 * The tool exits 1 on any 5xx or when what reached `accepted` differs from the 202s.
 */
describe('npm run fuzz, short (Schemathesis against ingest on the real stack)', () => {
  it('gets no 5xx, only OperationOutcomes for refusals, and publishes exactly what it accepted', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '-r',
            '@swc-node/register',
            'tools/fuzz/src/main.ts',
            '--max-examples',
            '25',
            '--seed',
            '20261129',
          ],
          { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (exitCode) => {
          resolve({ code: exitCode, output });
        });
      },
    );
    const summary = output.slice(output.indexOf('fuzz summary'));
    console.log(summary);
    expect(summary).toMatch(/operations fuzzed +13 of 13/);
    expect(summary).toContain('server errors (5xx) 0');
    expect(summary).toContain('4xx not an OperationOutcome 0');
    expect(summary).toMatch(/published on accepted (\d+) records for \1 answers 202$/m);
    expect(code).toBe(0);
  }, 600_000);
});
