import { notCheckedReason } from './verify-chain.cli';

describe('why the chain could not be checked', () => {
  it('points at the migration when the table or schema is missing', () => {
    const missing = Object.assign(new Error('relation "audit.entries" does not exist'), {
      code: '42P01',
    });
    expect(notCheckedReason(missing)).toBe(
      'relation "audit.entries" does not exist (has audit\'s migration run against this database? main.js migrate)',
    );
  });

  it('passes any other reason on as it is', () => {
    expect(notCheckedReason(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});
