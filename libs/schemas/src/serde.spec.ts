import { Type } from 'avsc';
import type { AvroJsonObject } from './avro-json';
import { isRetryableSerdeError, SerdeError, type SerdeErrorCode } from './serde-error';
import { confluentHeaderLength, createSerde, readSchemaId, registerAll } from './serde';
import {
  aClientRegistryRecord,
  aConsentedEvent,
  aConsentState,
  aJournalEntry,
  anAcceptedSubmission,
  anAuditRecord,
  anOriginalResource,
  aRegistryRecord,
  aStatusChange,
  aWelfareEvent,
  aWelfareEventOfKind,
  createInMemorySchemaRegistry,
  syntheticFodselsnummer,
} from './testing';
import { type TopicSpec, Topics, dlqTopic, epjTopic, staticTopics, valueSubject } from './topics';
import { type ValueSchemaName, type ValueTypes, valueSchema, valueType } from './value-schemas';
import { welfareEventKinds } from './welfare-event';

async function expectSerdeError(
  promise: Promise<unknown>,
  code: SerdeErrorCode,
): Promise<SerdeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SerdeError);
  expect((error as SerdeError).code).toBe(code);
  return error as SerdeError;
}

function expectSerdeErrorSync(operation: () => unknown, code: SerdeErrorCode): SerdeError {
  try {
    operation();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).code).toBe(code);
    return error as SerdeError;
  }
  throw new Error(`Expected a SerdeError ${code}`);
}

async function registeredSerde() {
  const registry = createInMemorySchemaRegistry({ firstId: 100 });
  const serde = createSerde({ registry });
  await registerAll(serde);
  return { registry, serde };
}

type Sample = { [N in ValueSchemaName]: readonly [TopicSpec<N>, ValueTypes[N]] }[ValueSchemaName];

const samples: readonly Sample[] = [
  [Topics.accepted, anAcceptedSubmission()],
  ...welfareEventKinds.map((kind): Sample => [Topics.normalized, aWelfareEventOfKind(kind)]),
  [Topics.normalizedUrgent, aWelfareEvent({ patient: null })],
  [Topics.consented, aConsentedEvent()],
  [Topics.consentChanges, aConsentState()],
  [
    Topics.status,
    aStatusChange({ stage: 'failed', reason: 'no registration', operationOutcomeCode: '1.2' }),
  ],
  [Topics.audit, anAuditRecord()],
  [Topics.registry, aRegistryRecord()],
  [Topics.registry, aClientRegistryRecord()],
];

describe('serde wire format', () => {
  it.each(samples.map((sample) => [sample[0].name, sample] as const))(
    'round-trips a value of %s',
    async (_name, [topic, value]) => {
      const { serde } = await registeredSerde();

      const message = serde.encode(topic, value);

      await expect(serde.decode(topic, message)).resolves.toEqual(value);
    },
  );

  it('writes magic byte 0, the schema id big-endian, then the Avro binary', async () => {
    const { serde } = await registeredSerde();
    const event = aWelfareEvent();
    const schemaId = await serde.register(Topics.normalized);

    const message = serde.encode(Topics.normalized, event);

    expect(message[0]).toBe(0);
    expect(message.readInt32BE(1)).toBe(schemaId);
    expect(message.subarray(confluentHeaderLength)).toEqual(
      valueType('WelfareEvent').toBuffer(event),
    );
    expect(readSchemaId(message)).toBe(schemaId);
  });

  it('encodes values larger than its initial buffer', async () => {
    const { serde } = await registeredSerde();
    const json = JSON.stringify({
      resourceType: 'Observation',
      note: [{ text: 'x'.repeat(300_000) }],
    });
    const event = aWelfareEvent({ originalResources: [anOriginalResource({ json })] });

    const message = serde.encode(Topics.normalized, event);

    await expect(serde.decode(Topics.normalized, message)).resolves.toEqual(event);
    await expect(
      serde.decode(Topics.normalized, serde.encode(Topics.normalized, aWelfareEvent())),
    ).resolves.toEqual(aWelfareEvent());
  });

  it('rejects a message whose first byte is not the magic byte', async () => {
    const { serde } = await registeredSerde();
    const message = serde.encode(Topics.status, aStatusChange());
    message[0] = 1;

    await expectSerdeError(serde.decode(Topics.status, message), 'SERDE.BAD_MAGIC_BYTE');
    await expectSerdeError(serde.decodeAny(Buffer.from('{"json":true}')), 'SERDE.BAD_MAGIC_BYTE');
  });

  it('rejects a message shorter than the header', async () => {
    const { serde } = await registeredSerde();

    await expectSerdeError(
      serde.decode(Topics.status, Buffer.from([0, 0, 0])),
      'SERDE.TRUNCATED_FRAME',
    );
  });

  it('rejects a message with a schema id the registry does not know', async () => {
    const { serde } = await registeredSerde();
    const message = serde.encode(Topics.status, aStatusChange());
    message.writeInt32BE(4242, 1);

    const error = await expectSerdeError(
      serde.decode(Topics.status, message),
      'SERDE.UNKNOWN_SCHEMA_ID',
    );
    expect(error.schemaId).toBe(4242);
    expect(isRetryableSerdeError(error)).toBe(false);
  });

  it('rejects a message of another record than the topic carries', async () => {
    const { serde } = await registeredSerde();
    const statusMessage = serde.encode(Topics.status, aStatusChange());

    await expectSerdeError(
      serde.decode(Topics.normalized, statusMessage),
      'SERDE.UNEXPECTED_SCHEMA',
    );
  });

  it('rejects a payload with trailing or missing bytes', async () => {
    const { serde } = await registeredSerde();
    const message = serde.encode(Topics.status, aStatusChange());

    await expectSerdeError(
      serde.decode(Topics.status, Buffer.concat([message, Buffer.from([1, 2])])),
      'SERDE.CORRUPT_PAYLOAD',
    );
    await expectSerdeError(
      serde.decode(Topics.status, message.subarray(0, message.length - 3)),
      'SERDE.CORRUPT_PAYLOAD',
    );
  });

  it('refuses to encode before the schema is registered', () => {
    const serde = createSerde({ registry: createInMemorySchemaRegistry() });

    expectSerdeErrorSync(
      () => serde.encode(Topics.status, aStatusChange()),
      'SERDE.NOT_REGISTERED',
    );
  });

  it('names the invalid fields without quoting their values', async () => {
    const { serde } = await registeredSerde();
    const fodselsnummer = syntheticFodselsnummer(7);
    // A number where a string belongs: a bug a caller could make with untyped input.
    const patient = {
      identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: Number(fodselsnummer) },
    };
    const invalid = { ...aWelfareEvent(), patient } as unknown as ValueTypes['WelfareEvent'];

    const error = expectSerdeErrorSync(
      () => serde.encode(Topics.normalized, invalid),
      'SERDE.INVALID_VALUE',
    );

    expect(error.invalidPaths).toEqual(
      expect.arrayContaining(['patient.identifier.value', 'patient.patientKey']),
    );
    expect(error.message).not.toContain(fodselsnummer.slice(0, 6));
    expect(error.cause).toBeUndefined();
  });

  it('tells which record a message holds', async () => {
    const { serde } = await registeredSerde();

    const decoded = await serde.decodeAny(serde.encode(Topics.audit, anAuditRecord()));

    expect(decoded.schemaName).toBe('AuditRecord');
    expect(decoded.value).toEqual(anAuditRecord());
  });

  it('reads data of an older writer schema into the current shape', async () => {
    const registry = createInMemorySchemaRegistry();
    const current = valueSchema('WelfareEvent');
    const fields = current['fields'] as readonly AvroJsonObject[];
    // The released v1 without `triage` and `sourceSystem`: fields added later with defaults.
    const older: AvroJsonObject = {
      ...current,
      fields: fields.filter(
        (field) => field['name'] !== 'triage' && field['name'] !== 'sourceSystem',
      ),
    };
    const olderId = await registry.register('older-producer', JSON.stringify(older));
    const olderType = Type.forSchema(older as unknown as Parameters<typeof Type.forSchema>[0]);
    const event = aWelfareEvent();
    const payload = olderType.toBuffer(event);
    const header = Buffer.alloc(confluentHeaderLength);
    header.writeInt32BE(olderId, 1);
    const serde = createSerde({ registry });

    const decoded = await serde.decode(Topics.normalized, Buffer.concat([header, payload]));

    expect(decoded).toEqual({ ...event, triage: null, sourceSystem: null });
  });

  it('fetches a writer schema once per id, even for concurrent messages', async () => {
    const registry = createInMemorySchemaRegistry();
    const producer = createSerde({ registry });
    await producer.register(Topics.status);
    const message = producer.encode(Topics.status, aStatusChange());
    const consumer = createSerde({ registry });

    await Promise.all([1, 2, 3, 4].map(() => consumer.decode(Topics.status, message)));
    await consumer.decode(Topics.status, message);

    expect(registry.writerTypeCalls).toBe(1);
  });

  it('reports an unreachable registry as retryable', async () => {
    const registry = createInMemorySchemaRegistry();
    const producer = createSerde({ registry });
    await producer.register(Topics.status);
    const message = producer.encode(Topics.status, aStatusChange());
    registry.setAvailable(false);

    const error = await expectSerdeError(
      createSerde({ registry }).decode(Topics.status, message),
      'SERDE.REGISTRY_UNAVAILABLE',
    );
    expect(isRetryableSerdeError(error)).toBe(true);
    await expectSerdeError(
      createSerde({ registry }).register(Topics.audit),
      'SERDE.REGISTRY_UNAVAILABLE',
    );
  });
});

describe('registration', () => {
  it('registers each topic under <topic>-value and reuses the id of an identical schema', async () => {
    const registry = createInMemorySchemaRegistry();
    const serde = createSerde({ registry });

    const ids = await registerAll(serde, [...staticTopics, dlqTopic('normalizer')]);

    expect([...ids.keys()].sort()).toEqual(staticTopics.map((topic) => topic.name).sort());
    expect(registry.versions(valueSubject(Topics.normalized))).toEqual([
      ids.get(Topics.normalized.name),
    ]);
    expect(ids.get(Topics.normalizedUrgent.name)).toBe(ids.get(Topics.normalized.name));
    expect(registry.versions(valueSubject(dlqTopic('normalizer')))).toEqual([]);
  });

  it('registers an EPJ topic on demand, once', async () => {
    const registry = createInMemorySchemaRegistry();
    const serde = createSerde({ registry });
    const topic = epjTopic('999999999');

    const [first, second] = await Promise.all([serde.register(topic), serde.register(topic)]);
    await serde.register(epjTopic('999999999'));

    expect(first).toBe(second);
    expect(serde.isRegistered(topic)).toBe(true);
    expect(registry.versions('knutepunkt.epj.999999999.v1-value')).toEqual([first]);
    await expect(serde.decode(topic, serde.encode(topic, aJournalEntry()))).resolves.toEqual(
      aJournalEntry(),
    );
  });

  it('is refused when the subject holds an incompatible schema, and can be retried', async () => {
    const registry = createInMemorySchemaRegistry();
    await registry.register(
      valueSubject(Topics.status),
      JSON.stringify({
        type: 'record',
        name: 'StatusChange',
        namespace: 'no.knutepunkt.v1',
        fields: [{ name: 'submissionId', type: 'long' }],
      }),
    );
    const serde = createSerde({ registry });

    await expectSerdeError(serde.register(Topics.status), 'SERDE.REGISTRATION_REJECTED');
    expect(serde.isRegistered(Topics.status)).toBe(false);
  });
});
