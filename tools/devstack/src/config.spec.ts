import {
  databaseUrl,
  kafkaBrokers,
  loadConfig,
  redactDatabaseUrl,
  testDatabaseUrl,
  withTestDatabase,
} from './config';

describe('loadConfig', () => {
  it('defaults to the design ports on loopback', () => {
    const config = loadConfig({});
    expect(kafkaBrokers(config)).toEqual(['127.0.0.1:9092']);
    expect(config.kafka.controllerPort).toBe(9093);
    expect(config.schemaRegistry.port).toBe(8081);
    expect(config.prometheus.port).toBe(9090);
    expect(databaseUrl(config)).toBe('postgres://knutepunkt:knutepunkt@127.0.0.1:5432/knutepunkt');
    expect(testDatabaseUrl(config)).toBe(
      'postgres://knutepunkt:knutepunkt@127.0.0.1:5432/knutepunkt_test',
    );
  });

  it('takes port overrides from the environment', () => {
    const config = loadConfig({
      KAFKA_PORT: '19092',
      KAFKA_CONTROLLER_PORT: '19093',
      POSTGRES_PORT: '15432',
      SCHEMA_REGISTRY_PORT: '18081',
      PROMETHEUS_PORT: '19090',
    });
    expect(kafkaBrokers(config)).toEqual(['127.0.0.1:19092']);
    expect(config.kafka.controllerPort).toBe(19093);
    expect(databaseUrl(config)).toBe('postgres://knutepunkt:knutepunkt@127.0.0.1:15432/knutepunkt');
    expect(config.schemaRegistry.port).toBe(18081);
    expect(config.prometheus.port).toBe(19090);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ KAFKA_PORT: '', DATABASE_URL: '  ' }).postgres.externalUrl).toBeUndefined();
    expect(loadConfig({ KAFKA_PORT: '' }).kafka.port).toBe(9092);
  });

  it('rejects ports that are not ports', () => {
    for (const bad of ['0', '65536', 'abc', '90 92', '-1', '9092.5']) {
      expect(() => loadConfig({ KAFKA_PORT: bad })).toThrow(/KAFKA_PORT/);
    }
  });

  it('with DATABASE_URL uses that server and derives the test database from it', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:secret@db.example:6543/hub?sslmode=require',
    });
    expect(databaseUrl(config)).toBe('postgres://app:secret@db.example:6543/hub?sslmode=require');
    expect(testDatabaseUrl(config)).toBe(
      'postgres://app:secret@db.example:6543/hub_test?sslmode=require',
    );
  });

  it('prefers TEST_DATABASE_URL when given with DATABASE_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://a:b@h/hub',
      TEST_DATABASE_URL: 'postgres://a:b@h/other_test',
    });
    expect(testDatabaseUrl(config)).toBe('postgres://a:b@h/other_test');
  });
});

describe('withTestDatabase', () => {
  it('keeps a database that already is a test database', () => {
    expect(withTestDatabase('postgresql://u:p@h:5432/knutepunkt_test')).toBe(
      'postgresql://u:p@h:5432/knutepunkt_test',
    );
  });

  it('fails clearly on a URL without a database or of another scheme', () => {
    expect(() => withTestDatabase('postgres://u:p@h:5432/')).toThrow(/names no database/);
    expect(() => withTestDatabase('mysql://u:p@h/db')).toThrow(/postgres:\/\//);
    expect(() => withTestDatabase('not a url')).toThrow(/not a URL/);
  });
});

describe('redactDatabaseUrl', () => {
  it('shows where, never the credentials', () => {
    const shown = redactDatabaseUrl('postgres://app:s3cret@db.example/hub');
    expect(shown).toBe('db.example:5432/hub');
    expect(shown).not.toContain('s3cret');
  });
});
