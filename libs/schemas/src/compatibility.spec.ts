import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { avroSourceDir, readAvroDirectory, releasedAvroRoot } from '../tools/avro-files';
import { type AvroJson, type AvroJsonObject, avroNamespace } from './avro-json';
import { findBackwardIncompatibilities } from './compatibility';

const current = readAvroDirectory(avroSourceDir);
const releases = readdirSync(releasedAvroRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^v\d+$/.test(entry.name))
  .map((entry) => entry.name);

/** The current sources with one definition changed. */
function currentWith(fullName: string, change: (definition: AvroJsonObject) => AvroJsonObject) {
  const definition = current.get(fullName);
  if (definition === undefined) {
    throw new Error(`No ${fullName}`);
  }
  return new Map(current).set(fullName, change(definition));
}

function withField(definition: AvroJsonObject, field: AvroJsonObject): AvroJsonObject {
  return { ...definition, fields: [...(definition['fields'] as readonly AvroJson[]), field] };
}

describe('BACKWARD compatibility with the released schemas', () => {
  it('has a released snapshot to compare with', () => {
    expect(releases).toContain('v1');
  });

  // Only the release of the current major version must stay readable: a new major is new
  // topics (and a new namespace, `no.knutepunkt.v2`), so older majors are never resolved.
  const currentMajor = avroNamespace.slice(avroNamespace.lastIndexOf('.') + 1);

  it(`lets the current schemas read everything written with release ${currentMajor}`, () => {
    const released = readAvroDirectory(join(releasedAvroRoot, currentMajor));

    expect(findBackwardIncompatibilities(released, current)).toEqual([]);
  });

  it('checks every released type', () => {
    const released = readAvroDirectory(join(releasedAvroRoot, currentMajor));

    expect([...released.keys()].every((fullName) => current.has(fullName))).toBe(true);
  });
});

describe('the compatibility check', () => {
  it('catches a field added without a default, in the record and in every record holding it', () => {
    const changed = currentWith('no.knutepunkt.v1.WelfareEvent', (definition) =>
      withField(definition, { name: 'ward', type: 'string', doc: 'A new required field.' }),
    );

    const types = findBackwardIncompatibilities(current, changed).map(
      (incompatibility) => incompatibility.type,
    );

    expect(types).toEqual(['no.knutepunkt.v1.ConsentedEvent', 'no.knutepunkt.v1.WelfareEvent']);
  });

  it('catches a changed field type deep inside a record', () => {
    const changed = currentWith('no.knutepunkt.v1.Coding', (definition) => ({
      ...definition,
      fields: (definition['fields'] as readonly AvroJsonObject[]).map((field) =>
        field['name'] === 'code' ? { ...field, type: 'int' } : field,
      ),
    }));

    const incompatibilities = findBackwardIncompatibilities(current, changed);

    expect(incompatibilities.map((incompatibility) => incompatibility.type)).toEqual(
      expect.arrayContaining([
        'no.knutepunkt.v1.Coding',
        'no.knutepunkt.v1.WelfareEvent',
        'no.knutepunkt.v1.JournalEntry',
      ]),
    );
  });

  it('catches a removed enum symbol when the enum has no default', () => {
    const changed = currentWith('no.knutepunkt.v1.ConsentProvision', (definition) => ({
      ...definition,
      symbols: ['permit'],
    }));

    expect(
      findBackwardIncompatibilities(current, changed).map(
        (incompatibility) => incompatibility.type,
      ),
    ).toContain('no.knutepunkt.v1.ConsentProvision');
  });

  it('catches a removed record', () => {
    const changed = new Map(current);
    changed.delete('no.knutepunkt.v1.AuditRecord');

    expect(findBackwardIncompatibilities(current, changed)).toContainEqual({
      type: 'no.knutepunkt.v1.AuditRecord',
      reason: 'removed (released data names it)',
    });
  });

  it('accepts a field added with a default and a new enum symbol', () => {
    const withNullableField = currentWith('no.knutepunkt.v1.StatusChange', (definition) =>
      withField(definition, {
        name: 'ward',
        type: ['null', 'string'],
        default: null,
        doc: 'Optional.',
      }),
    );
    const withNewStage = new Map(withNullableField).set('no.knutepunkt.v1.SubmissionStage', {
      ...(current.get('no.knutepunkt.v1.SubmissionStage') ?? {}),
      symbols: [
        'registered',
        'normalized',
        'consented',
        'withheld',
        'delivered',
        'read',
        'journaled',
        'failed',
        'unknown',
        'archived',
      ],
    });

    expect(findBackwardIncompatibilities(current, withNewStage)).toEqual([]);
  });
});
