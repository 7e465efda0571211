/** Reading `.avsc` directories (the current sources and released snapshots). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type AvroJsonObject,
  collectDefinitions,
  fullNameOf,
  isAvroJsonObject,
  shortNameOf,
} from '../src/avro-json';

/** libs/schemas/ */
export const schemasLibRoot = resolve(__dirname, '..');
/** libs/schemas/avro/: the current sources. */
export const avroSourceDir = join(schemasLibRoot, 'avro');
/** libs/schemas/avro/released/: one folder per released major version. */
export const releasedAvroRoot = join(avroSourceDir, 'released');
/** libs/schemas/src/generated/ */
export const generatedDir = join(schemasLibRoot, 'src', 'generated');

/** The `.avsc` file names of a directory (not recursive), sorted. */
export function listAvroFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.avsc'))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads every `.avsc` of a directory into definitions by full name. Each file must define
 * one named type and be named after it (`WelfareEvent.avsc`), so a type is easy to find.
 */
export function readAvroDirectory(dir: string): Map<string, AvroJsonObject> {
  const files = listAvroFiles(dir).map((fileName) => {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, fileName), 'utf8'));
    if (!isAvroJsonObject(parsed as AvroJsonObject)) {
      throw new Error(`${fileName}: not a JSON object`);
    }
    const definition = parsed as AvroJsonObject;
    const expected = `${shortNameOf(fullNameOf(definition))}.avsc`;
    if (fileName !== expected) {
      throw new Error(`${fileName} defines ${fullNameOf(definition)}: name the file ${expected}`);
    }
    return definition;
  });
  return collectDefinitions(files);
}
