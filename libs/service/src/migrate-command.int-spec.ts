import { Module } from '@nestjs/common';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { runServiceCommand } from './bootstrap';

const schema = uniqueName('it_migrate').replace(/-/g, '_');

class CreateThings1764340000001 implements MigrationInterface {
  name = 'CreateThings1764340000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "${schema}".things (id int PRIMARY KEY)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schema}".things`);
  }
}

@Module({})
class EmptyModule {}

describe('main.js migrate (the Helm hook Job)', () => {
  const env = integrationEnv();
  const client = new Client({ connectionString: env['DATABASE_URL'] });

  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('creates the schema, applies pending migrations once, and is safe to run again', async () => {
    const definition = {
      app: 'audit' as const,
      defaultPort: 0,
      module: EmptyModule,
      database: { schema, entities: [], migrations: [CreateThings1764340000001] },
    };
    await runServiceCommand(definition, ['migrate'], env);
    await runServiceCommand(definition, ['migrate'], env);
    const applied = await client.query(`SELECT name FROM "${schema}".migrations`);
    expect(applied.rows).toEqual([{ name: 'CreateThings1764340000001' }]);
    const tables = await client.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(tables.rows.map((r: { table_name: string }) => r.table_name)).toEqual([
      'migrations',
      'things',
    ]);
  });

  it('refuses an unknown command', async () => {
    await expect(
      runServiceCommand(
        { app: 'audit', defaultPort: 0, module: EmptyModule },
        ['drop-everything'],
        env,
      ),
    ).rejects.toThrow(/unknown command/);
  });
});
