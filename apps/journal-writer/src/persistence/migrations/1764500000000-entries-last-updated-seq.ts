import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `_lastUpdated=gt<t>` without walking the municipality's older entries
 * (docs/adr/0012-jft-read-alias-and-last-updated.md).
 *
 * The search orders by `seq` and filters on `last_updated`. The two rise together, but the
 * planner assumes they are independent: for `ORDER BY seq LIMIT n` it walks `(orgnr, seq)` from
 * the start and filters, reading every older entry first (3 s at 1,000,000 entries for a poll
 * that returns 200). The store now bounds the walk with `seq >= (SELECT min(seq) … WHERE
 * last_updated > t)`, answered by an index-only scan of this index over the newer entries only.
 * It replaces `(orgnr, last_updated)`, which it covers. `IF NOT EXISTS`: on a large table an
 * operator builds it `CONCURRENTLY` by hand first (migrations run in a transaction).
 */
export class EntriesLastUpdatedSeq1764500000000 implements MigrationInterface {
  name = 'EntriesLastUpdatedSeq1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS entries_orgnr_last_updated_seq ON journal.entries (orgnr, last_updated) INCLUDE (seq)`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS journal.entries_orgnr_last_updated`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX entries_orgnr_last_updated ON journal.entries (orgnr, last_updated)`,
    );
    await queryRunner.query(`DROP INDEX journal.entries_orgnr_last_updated_seq`);
  }
}
