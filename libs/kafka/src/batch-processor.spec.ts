import { NonRetriableError, UndecodableMessageError } from './errors';
import {
  deadLetterMessage,
  processBatch,
  type BatchProcessorPorts,
  type DeadLetter,
} from './batch-processor';
import type { DecodedMessage, IncomingMessage } from './messages';

const policy = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 1 };

function message(offset: number, text: string): IncomingMessage {
  return {
    topic: 'knutepunkt.test.v1',
    partition: 0,
    offset: String(offset),
    key: `k${offset}`,
    value: Buffer.from(text),
    headers: {},
    timestamp: 0,
  };
}

function harness(handle: (batch: readonly DecodedMessage<string>[]) => Promise<void>) {
  const dead: DeadLetter[] = [];
  const calls: string[][] = [];
  let owned = true;
  const ports: BatchProcessorPorts<string> = {
    decode: async (m) => {
      const text = m.value?.toString() ?? '';
      if (text.startsWith('garbage')) throw new UndecodableMessageError('not Avro');
      return text;
    },
    handle: async (batch) => {
      calls.push(batch.map((m) => m.payload));
      await handle(batch);
    },
    deadLetter: async (letters) => {
      dead.push(...letters);
    },
    heartbeat: async () => undefined,
    stillOwned: () => owned,
    sleep: async () => undefined,
  };
  return { ports, dead, calls, revoke: () => (owned = false) };
}

describe('processBatch', () => {
  it('handles a healthy batch in one call and reports the last offset done', async () => {
    const h = harness(async () => undefined);
    const outcome = await processBatch([message(10, 'a'), message(11, 'b')], policy, h.ports);
    expect(h.calls).toEqual([['a', 'b']]);
    expect(outcome).toEqual({
      lastDoneOffset: '11',
      handled: 2,
      deadLettered: 0,
      undecodable: 0,
      interrupted: false,
    });
  });

  it('dead-letters undecodable bytes without ever handing them to the handler', async () => {
    const h = harness(async () => undefined);
    const outcome = await processBatch([message(1, 'garbage'), message(2, 'ok')], policy, h.ports);
    expect(h.calls).toEqual([['ok']]);
    expect(h.dead.map((d) => d.message.offset)).toEqual(['1']);
    expect(outcome.undecodable).toBe(1);
    expect(outcome.lastDoneOffset).toBe('2');
  });

  it('isolates a poison message: retried alone, dead-lettered, neighbours handled', async () => {
    const h = harness(async (batch) => {
      if (batch.some((m) => m.payload === 'poison')) throw new Error('boom');
    });
    const outcome = await processBatch(
      [message(1, 'a'), message(2, 'poison'), message(3, 'c')],
      policy,
      h.ports,
    );
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]).toMatchObject({ attempts: 3, message: { offset: '2' } });
    expect(outcome).toMatchObject({ handled: 2, deadLettered: 1, lastDoneOffset: '3' });
    // 3 whole-batch attempts, then a, poison ×3, c
    expect(h.calls).toHaveLength(3 + 1 + 3 + 1);
  });

  it('fails the whole batch, dead-lettering nothing, when decoding fails for a passing reason', async () => {
    const h = harness(async () => undefined);
    h.ports.decode = async () => Promise.reject(new Error('schema registry unreachable'));
    await expect(processBatch([message(1, 'a')], policy, h.ports)).rejects.toThrow('unreachable');
    expect(h.dead).toHaveLength(0);
    expect(h.calls).toHaveLength(0);
  });

  it('does not retry a non-retriable error', async () => {
    const h = harness(async () => {
      throw new NonRetriableError('TEST.INVALID', 'invalid');
    });
    await processBatch([message(1, 'a')], policy, h.ports);
    expect(h.calls).toHaveLength(1);
    expect(h.dead[0]?.attempts).toBe(1);
  });

  it('recovers from a transient failure without dead-lettering', async () => {
    let failures = 2;
    const h = harness(async () => {
      if (failures-- > 0) throw new Error('database restarting');
    });
    const outcome = await processBatch([message(5, 'a')], policy, h.ports);
    expect(outcome).toMatchObject({ handled: 1, deadLettered: 0, lastDoneOffset: '5' });
    expect(h.dead).toHaveLength(0);
  });

  it('reports nothing done when the partition is revoked mid-retry', async () => {
    const h = harness(async () => {
      h.revoke();
      throw new Error('slow database');
    });
    const outcome = await processBatch([message(1, 'a'), message(2, 'b')], policy, h.ports);
    expect(outcome).toMatchObject({ lastDoneOffset: null, interrupted: true });
    expect(h.dead).toHaveLength(0);
  });
});

describe('deadLetterMessage', () => {
  it('keeps the original key, bytes and headers and says why, where from and how often', () => {
    const original = { ...message(42, 'bytes'), headers: { 'correlation-id': 'c-1' } };
    const letter = deadLetterMessage(
      {
        message: original,
        error: new NonRetriableError('NORMALIZE.NO_EVENTS', 'nothing to map'),
        attempts: 1,
      },
      'knutepunkt.dlq.normalizer.v1',
      'knutepunkt-normalizer',
      new Date('2026-11-28T10:00:00.000Z'),
    );
    expect(letter).toEqual({
      topic: 'knutepunkt.dlq.normalizer.v1',
      key: 'k42',
      value: Buffer.from('bytes'),
      headers: {
        'correlation-id': 'c-1',
        'dlq-error-class': 'NonRetriableError',
        'dlq-error-code': 'NORMALIZE.NO_EVENTS',
        'dlq-error-message': 'nothing to map',
        'dlq-source-topic': 'knutepunkt.test.v1',
        'dlq-source-partition': '0',
        'dlq-source-offset': '42',
        'dlq-attempts': '1',
        'dlq-failed-at': '2026-11-28T10:00:00.000Z',
        'dlq-consumer-group': 'knutepunkt-normalizer',
      },
    });
  });
});
