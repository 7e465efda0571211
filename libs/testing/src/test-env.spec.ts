import { assertTestDatabase, eventually } from './test-env';

describe('assertTestDatabase', () => {
  it('accepts a database whose name says test', () => {
    expect(() => {
      assertTestDatabase('postgres://u:p@127.0.0.1:5432/knutepunkt_test');
    }).not.toThrow();
  });

  it('refuses any other database', () => {
    expect(() => {
      assertTestDatabase('postgres://u:p@db.example:5432/knutepunkt');
    }).toThrow(/must contain "test"/);
  });
});

describe('eventually', () => {
  it('resolves with the first defined value', async () => {
    let calls = 0;
    await expect(eventually(async () => (++calls >= 3 ? calls : undefined), 1000, 1)).resolves.toBe(
      3,
    );
  });

  it('gives up after the timeout, naming the last error', async () => {
    await expect(
      eventually(async () => Promise.reject(new Error('not yet')), 20, 5),
    ).rejects.toThrow(/not yet/);
  });
});
