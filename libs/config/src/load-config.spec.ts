import { z } from 'zod';
import { kafkaEnv, databaseEnv, patientKeyEnv, patientKeySecret, runtimeEnv } from './common-env';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies defaults and splits broker lists', () => {
    const config = loadConfig(kafkaEnv, { KAFKA_BROKERS: 'a:9092, b:9092' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(config.KAFKA_MAX_ATTEMPTS).toBe(5);
    expect(config.KAFKA_SSL).toBe(false);
  });

  it('names every invalid variable at once', () => {
    const schema = kafkaEnv.merge(databaseEnv);
    expect(() =>
      loadConfig(schema, { KAFKA_MAX_ATTEMPTS: '0', DATABASE_URL: 'not a url' }),
    ).toThrow(ConfigError);
    try {
      loadConfig(schema, { KAFKA_MAX_ATTEMPTS: '0', DATABASE_URL: 'not a url' });
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'KAFKA_MAX_ATTEMPTS',
        'DATABASE_URL',
      ]);
    }
  });

  it('parses booleans strictly', () => {
    expect(
      loadConfig(databaseEnv, { DATABASE_MIGRATIONS_RUN: 'false' }).DATABASE_MIGRATIONS_RUN,
    ).toBe(false);
    expect(() => loadConfig(databaseEnv, { DATABASE_MIGRATIONS_RUN: 'yes' })).toThrow(ConfigError);
  });

  it('accepts an app-specific extension', () => {
    const schema = z.object({ PORT: z.coerce.number().default(3000) });
    expect(loadConfig(schema, {}).PORT).toBe(3000);
  });
});

describe('patientKeySecret', () => {
  const schema = runtimeEnv.merge(patientKeyEnv);

  it('uses the development secret outside production and refuses to run without one in production', () => {
    expect(patientKeySecret(loadConfig(schema, {})).length).toBeGreaterThanOrEqual(32);
    expect(() => patientKeySecret(loadConfig(schema, { KNUTEPUNKT_ENV: 'production' }))).toThrow(
      ConfigError,
    );
  });

  it("takes the deployment's own secret, and refuses a short one", () => {
    const secret = 's'.repeat(40);
    expect(
      patientKeySecret(
        loadConfig(schema, { KNUTEPUNKT_ENV: 'production', PATIENT_KEY_SECRET: secret }),
      ),
    ).toBe(secret);
    expect(() => loadConfig(schema, { PATIENT_KEY_SECRET: 'short' })).toThrow(ConfigError);
  });
});
