import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@knutepunkt/service';
import { integrationEnv } from '@knutepunkt/testing';
import { database } from '../database';
import { PostgresSubmissionStore, type NewSubmission } from './submission-store';

describe('PostgresSubmissionStore against the test database', () => {
  let dataSource: DataSource;
  let store: PostgresSubmissionStore;

  const candidate = (): NewSubmission => ({
    submissionId: randomUUID(),
    clientId: `client-${randomUUID()}`,
    dedupeKey: `content:${randomUUID()}`,
    orgnr: '921234562',
    resourceType: 'Observation',
    receivedAt: new Date(),
  });

  beforeAll(async () => {
    dataSource = await openDatabase(database, {
      url: integrationEnv()['DATABASE_URL'] ?? '',
      poolMax: 4,
      runMigrations: true,
      applicationName: 'ingest-store-test',
    });
    store = new PostgresSubmissionStore(dataSource, { pollMs: 10, abandonAfterMs: 300 });
  });

  afterAll(() => dataSource.destroy());

  it('leaves nothing behind when the publish fails, so a retry is a new submission', async () => {
    const first = candidate();
    await expect(
      store.registerOnce(first, () => Promise.reject(new Error('broker down'))),
    ).rejects.toThrow('broker down');
    expect(await store.find(first.submissionId)).toBeNull();
    const retry = { ...first, submissionId: randomUUID() };
    const outcome = await store.registerOnce(retry, () => Promise.resolve());
    expect(outcome).toMatchObject({
      kind: 'created',
      submission: { submissionId: retry.submissionId },
    });
  });

  it('makes a concurrent repeat wait for the first and answer with it', async () => {
    const first = candidate();
    let release: () => void = () => undefined;
    const published: string[] = [];
    const firstDone = store.registerOnce(first, (id) => {
      published.push(id);
      return new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const repeat = store.registerOnce({ ...first, submissionId: randomUUID() }, (id) => {
      published.push(id);
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    expect(await firstDone).toMatchObject({ kind: 'created' });
    expect(await repeat).toMatchObject({
      kind: 'repeat',
      submission: { submissionId: first.submissionId },
    });
    expect(published).toEqual([first.submissionId]);
  });

  it('takes over a submission left pending by a process that died, keeping its id', async () => {
    const first = candidate();
    // The first publisher never answers: its process died mid-publish.
    void store.registerOnce(first, () => new Promise<void>(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const published: string[] = [];
    const outcome = await store.registerOnce({ ...first, submissionId: randomUUID() }, (id) => {
      published.push(id);
      return Promise.resolve();
    });
    expect(outcome).toMatchObject({
      kind: 'created',
      submission: { submissionId: first.submissionId },
    });
    expect(published).toEqual([first.submissionId]);
  });
});
