import { DataSource, type MixedList } from 'typeorm';
import type { ReadinessCheck } from '@knutepunkt/observability';
import type { ServiceRuntime } from './service-runtime';

export interface DatabaseDefinition {
  /** The app's own PostgreSQL schema (DESIGN.md "Services"): no app reads another's. */
  readonly schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function>;
}

export interface DatabaseSettings {
  readonly url: string;
  readonly poolMax: number;
  readonly runMigrations: boolean;
  readonly applicationName: string;
}

/**
 * Opens the app's TypeORM data source on its own schema and, unless the deployment runs
 * migrations as a separate job, applies pending migrations. Never `synchronize`.
 */
export async function openDatabase(
  definition: DatabaseDefinition,
  settings: DatabaseSettings,
): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: settings.url,
    schema: definition.schema,
    entities: definition.entities,
    migrations: definition.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: settings.applicationName,
    extra: { max: settings.poolMax, connectionTimeoutMillis: 5_000 },
  });
  await dataSource.initialize();
  if (settings.runMigrations) await migrate(dataSource, definition.schema);
  return dataSource;
}

export async function migrate(dataSource: DataSource, schema: string): Promise<void> {
  // The migrations table lives in the app's schema, so the schema must exist first.
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
}

export function databaseReadinessCheck(dataSource: DataSource): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      await dataSource.query('SELECT 1');
    },
  };
}

/** The app's database, for the providers of an app that declared one (its ServiceDefinition). */
export function databaseOf(runtime: Pick<ServiceRuntime, 'app' | 'dataSource'>): DataSource {
  if (!runtime.dataSource) throw new Error(`${runtime.app} runs with its database`);
  return runtime.dataSource;
}
