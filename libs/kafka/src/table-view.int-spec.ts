import { eventually, uniqueName } from '@knutepunkt/testing';
import { createKafka } from './connection';
import { CoalescingProducer } from './producer';
import { TableView } from './table-view';
import { ensureTopics } from './topics-admin';

const kafka = createKafka({
  brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
  clientId: 'table-view-it',
});
const producer = new CoalescingProducer(kafka);

async function compactedTopic(): Promise<string> {
  const topic = uniqueName('knutepunkt.it-table');
  await ensureTopics(
    kafka,
    [{ name: topic, partitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    1,
  );
  return topic;
}

function viewOf(topic: string) {
  const state = new Map<string, string>();
  const view = new TableView(kafka, {
    topic,
    groupPrefix: 'it-table',
    apply: (m) => {
      if (m.key === null) throw new Error('keyless record');
      if (m.value?.toString() === 'unreadable') throw new Error('cannot apply');
      if (m.value === null) state.delete(m.key);
      else state.set(m.key, m.value.toString());
    },
  });
  return { state, view };
}

beforeAll(() => producer.connect());
afterAll(() => producer.disconnect());

describe('TableView', () => {
  it('has applied everything the topic held before start() resolves, then follows new records', async () => {
    const topic = await compactedTopic();
    await producer.send(
      Array.from({ length: 30 }, (_, i) => ({
        topic,
        key: `k${i % 10}`,
        value: Buffer.from(`v${i}`),
      })),
    );
    await producer.send([{ topic, key: 'k3', value: null }]);
    const { state, view } = viewOf(topic);
    try {
      await view.start();
      expect(state.size).toBe(9);
      expect(state.get('k0')).toBe('v20');
      expect(state.has('k3')).toBe(false);

      await producer.send([{ topic, key: 'k3', value: Buffer.from('back') }]);
      await eventually(() => Promise.resolve(state.get('k3') === 'back' ? true : undefined));
    } finally {
      await view.stop();
    }
  });

  it('starts on an empty topic and skips a record it cannot apply without stopping', async () => {
    const topic = await compactedTopic();
    const { state, view } = viewOf(topic);
    try {
      await view.start();
      expect(state.size).toBe(0);
      await producer.send([
        { topic, key: 'b', value: Buffer.from('unreadable') },
        { topic, key: 'a', value: Buffer.from('1') },
      ]);
      await eventually(() => Promise.resolve(state.get('a') === '1' ? true : undefined));
      expect(state.has('b')).toBe(false);
    } finally {
      await view.stop();
    }
  });

  it('gives every instance the whole topic, not a share of the partitions', async () => {
    const topic = await compactedTopic();
    await producer.send(
      Array.from({ length: 12 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from('x') })),
    );
    const first = viewOf(topic);
    const second = viewOf(topic);
    try {
      await Promise.all([first.view.start(), second.view.start()]);
      expect(first.state.size).toBe(12);
      expect(second.state.size).toBe(12);
    } finally {
      await Promise.all([first.view.stop(), second.view.stop()]);
    }
  });
});
