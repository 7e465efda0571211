import { isDependencyUnavailable, NonRetriableError, UndecodableMessageError } from './errors';
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

  it('waits out a database restart however many attempts it takes, dead-lettering nothing', async () => {
    let failures = policy.maxAttempts * 4;
    const h = harness(async () => {
      if (failures-- > 0)
        throw Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        });
    });
    const outcome = await processBatch([message(7, 'a'), message(8, 'b')], policy, h.ports);
    expect(outcome).toMatchObject({ handled: 2, deadLettered: 0, lastDoneOffset: '8' });
    expect(h.calls).toHaveLength(policy.maxAttempts * 4 + 1);
    expect(h.dead).toHaveLength(0);
  });

  it('stops waiting for a dependency when the partition is revoked', async () => {
    let attempts = 0;
    const h = harness(async () => {
      if (++attempts === 20) h.revoke();
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
    });
    const outcome = await processBatch([message(1, 'a')], policy, h.ports);
    expect(outcome).toMatchObject({ lastDoneOffset: null, interrupted: true });
    expect(attempts).toBe(20);
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

describe('isDependencyUnavailable', () => {
  const withCode = (code: string, message = 'failed') =>
    Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01')],
    ['PostgreSQL starting up (57P03)', withCode('57P03')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['a deadlock (40P01)', withCode('40P01')],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['pg-pool timing out', new Error('timeout exceeded when trying to connect')],
    [
      'TypeORM wrapping a driver error',
      Object.assign(new Error('query failed'), { driverError: withCode('57P01') }),
    ],
    [
      'fetch failing on a refused socket',
      new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }),
    ],
    [
      'kafkajs giving up on a connection',
      Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded' }),
    ],
    [
      'kafkajs without a broker',
      Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' }),
    ],
  ])('says yes to %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a plain error', new Error('cannot read properties of undefined')],
    ['a unique violation (23505)', withCode('23505')],
    ['a value too long (22001)', withCode('22001')],
    [
      'a non-retriable error',
      new NonRetriableError('X', 'bad message', { cause: withCode('ECONNREFUSED') }),
    ],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('says no to %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
