import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { avroSourceDir, generatedDir, readAvroDirectory } from '../tools/avro-files';
import { generateTypeScript, jsDoc, kebabCase, quote } from '../tools/type-generator';
import type { AvroJsonObject } from './avro-json';

describe('generated TypeScript', () => {
  it('is up to date with the .avsc files (else run `npm run schemas:generate`)', () => {
    const expected = generateTypeScript(readAvroDirectory(avroSourceDir));
    const committed = readdirSync(generatedDir)
      .filter((name) => name.endsWith('.ts'))
      .sort();

    expect(committed).toEqual(expected.map((file) => file.path).sort());
    for (const file of expected) {
      expect({
        path: file.path,
        content: readFileSync(join(generatedDir, file.path), 'utf8'),
      }).toEqual(file);
    }
  });

  it('wraps a union the way avsc does: records wrapped by full name, nullable types unwrapped', () => {
    const definitions = new Map<string, AvroJsonObject>([
      ['t.A', { type: 'record', name: 'A', namespace: 't', doc: 'A.', fields: [] }],
      ['t.B', { type: 'record', name: 'B', namespace: 't', doc: 'B.', fields: [] }],
      [
        't.Holder',
        {
          type: 'record',
          name: 'Holder',
          namespace: 't',
          doc: 'Holder.',
          fields: [
            { name: 'either', type: ['t.A', 't.B'], doc: 'Either.' },
            { name: 'maybe', type: ['null', 't.A'], default: null, doc: 'Maybe.' },
            { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'At.' },
          ],
        },
      ],
    ]);

    const holder = generateTypeScript(definitions).find((file) => file.path === 'holder.ts');

    expect(holder?.content).toContain('readonly either: HolderEither;');
    expect(holder?.content).toContain(
      "export type HolderEither = { readonly 't.A': A } | { readonly 't.B': B };",
    );
    expect(holder?.content).toContain('readonly maybe: A | null;');
    expect(holder?.content).toContain('readonly at: TimestampMillis;');
  });

  it('refuses a field without documentation', () => {
    const definitions = new Map<string, AvroJsonObject>([
      ['t.R', { type: 'record', name: 'R', namespace: 't', fields: [{ name: 'x', type: 'int' }] }],
    ]);

    expect(() => generateTypeScript(definitions)).toThrow('t.R.x has no doc');
  });

  it('names modules in kebab case', () => {
    expect(kebabCase('QuestionnaireAnswerItem')).toBe('questionnaire-answer-item');
    expect(kebabCase('DHOReading')).toBe('dho-reading');
  });

  it('quotes strings as Prettier does with singleQuote', () => {
    expect(quote('plain')).toBe("'plain'");
    expect(quote("the patient's")).toBe('"the patient\'s"');
    expect(quote('say "hi"')).toBe('\'say "hi"\'');
    expect(quote('back\\slash')).toBe("'back\\\\slash'");
  });

  it('wraps long documentation at the print width', () => {
    const lines = jsDoc('word '.repeat(40).trim(), '  ');

    expect(lines[0]).toBe('  /**');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });
});
