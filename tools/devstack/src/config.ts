import { DevstackError } from './errors';

/** Every setting of the local stack, read from the environment in this one place. */
export interface DevstackConfig {
  /** The stack listens on loopback only. */
  readonly host: '127.0.0.1';
  readonly kafka: {
    /** KAFKA_PORT, client listener (default 9092) */
    readonly port: number;
    /** KAFKA_CONTROLLER_PORT, KRaft controller listener (default 9093) */
    readonly controllerPort: number;
    /** JAVA_HOME: the JDK to run the broker with (default: `java` on the PATH) */
    readonly javaHome: string | undefined;
  };
  readonly postgres: {
    /** POSTGRES_PORT (default 5432), used when the devstack runs its own PostgreSQL */
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly testDatabase: string;
    /** POSTGRES_BIN: a directory with initdb, pg_ctl and postgres, instead of /usr/lib/postgresql/<newest>/bin */
    readonly binDir: string | undefined;
    /** DATABASE_URL: an external server; the devstack then starts no PostgreSQL */
    readonly externalUrl: string | undefined;
    /** TEST_DATABASE_URL: with DATABASE_URL, the test database (default: DATABASE_URL's database + "_test") */
    readonly externalTestUrl: string | undefined;
  };
  readonly schemaRegistry: {
    /** SCHEMA_REGISTRY_PORT (default 8081) */
    readonly port: number;
  };
  /** The optional Prometheus (`up --with-prometheus`). */
  readonly prometheus: {
    /** PROMETHEUS_PORT, its web UI and API (default 9090) */
    readonly port: number;
  };
}

export type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): DevstackConfig {
  return {
    host: '127.0.0.1',
    kafka: {
      port: parsePort(env, 'KAFKA_PORT', 9092),
      controllerPort: parsePort(env, 'KAFKA_CONTROLLER_PORT', 9093),
      javaHome: nonEmpty(env['JAVA_HOME']),
    },
    postgres: {
      port: parsePort(env, 'POSTGRES_PORT', 5432),
      user: 'knutepunkt',
      password: 'knutepunkt',
      database: 'knutepunkt',
      testDatabase: 'knutepunkt_test',
      binDir: nonEmpty(env['POSTGRES_BIN']),
      externalUrl: nonEmpty(env['DATABASE_URL']),
      externalTestUrl: nonEmpty(env['TEST_DATABASE_URL']),
    },
    schemaRegistry: {
      port: parsePort(env, 'SCHEMA_REGISTRY_PORT', 8081),
    },
    prometheus: {
      port: parsePort(env, 'PROMETHEUS_PORT', 9090),
    },
  };
}

export function parsePort(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DevstackError(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function kafkaBrokers(config: DevstackConfig): string[] {
  return [`${config.host}:${config.kafka.port}`];
}

/** The URL of the application database: DATABASE_URL, or the devstack's own PostgreSQL. */
export function databaseUrl(config: DevstackConfig): string {
  return config.postgres.externalUrl ?? localDatabaseUrl(config, config.postgres.database);
}

/** The URL of the test database: TEST_DATABASE_URL, DATABASE_URL's database + "_test", or the devstack's own. */
export function testDatabaseUrl(config: DevstackConfig): string {
  const pg = config.postgres;
  if (pg.externalUrl === undefined) return localDatabaseUrl(config, pg.testDatabase);
  return pg.externalTestUrl ?? withTestDatabase(pg.externalUrl);
}

export function localDatabaseUrl(config: DevstackConfig, database: string): string {
  const pg = config.postgres;
  return `postgres://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${config.host}:${pg.port}/${encodeURIComponent(database)}`;
}

/** postgres://u:p@h:5432/app?x=y → postgres://u:p@h:5432/app_test?x=y (unchanged when the name already ends in _test). */
export function withTestDatabase(url: string): string {
  const parsed = parseDatabaseUrl(url);
  const name = databaseName(parsed);
  if (name.endsWith('_test')) return parsed.toString();
  parsed.pathname = `/${encodeURIComponent(`${name}_test`)}`;
  return parsed.toString();
}

export function parseDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DevstackError(
      'DATABASE_URL is not a URL (expected postgres://user:password@host:port/database)',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DevstackError(
      `DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`,
    );
  }
  return parsed;
}

export function databaseName(url: URL): string {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '')
    throw new DevstackError(
      'DATABASE_URL names no database (postgres://user:password@host:port/DATABASE)',
    );
  return name;
}

/** host:port/database of a URL, without its credentials: safe to print. */
export function redactDatabaseUrl(url: string): string {
  const parsed = parseDatabaseUrl(url);
  return `${parsed.hostname}:${parsed.port === '' ? '5432' : parsed.port}/${databaseName(parsed)}`;
}
