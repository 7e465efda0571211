import { ConfigError, loadConfig, runtimeEnv } from '@knutepunkt/config';
import { authEnv, authSettings } from './auth-env';
import { DEV_ISSUER } from './dev-issuer';

const schema = runtimeEnv.merge(authEnv);

describe('authSettings', () => {
  it('defaults to the dev issuer and its JWKS file outside production', () => {
    const settings = authSettings(loadConfig(schema, {}), '/repo');
    expect(settings).toEqual({
      issuer: DEV_ISSUER,
      audience: 'knutepunkt',
      jwks: { file: '/repo/.local/auth/jwks.json' },
      clockToleranceSeconds: 5,
      dpopMaxAgeSeconds: 60,
    });
  });

  it('takes the JWKS URL and issuer given', () => {
    const settings = authSettings(
      loadConfig(schema, {
        KNUTEPUNKT_ENV: 'production',
        AUTH_ISSUER: 'https://helseid-sts.nhn.no',
        AUTH_AUDIENCE: 'nhn:knutepunkt',
        AUTH_JWKS_URL: 'https://helseid-sts.nhn.no/.well-known/openid-configuration/jwks',
      }),
    );
    expect(settings.issuer).toBe('https://helseid-sts.nhn.no');
    expect(settings.audience).toBe('nhn:knutepunkt');
    expect(settings.jwks).toEqual({
      url: 'https://helseid-sts.nhn.no/.well-known/openid-configuration/jwks',
    });
  });

  it('refuses production without issuer and key source, naming both', () => {
    const env = loadConfig(schema, { KNUTEPUNKT_ENV: 'production' });
    expect(() => authSettings(env)).toThrow(ConfigError);
    try {
      authSettings(env);
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'AUTH_ISSUER',
        'AUTH_JWKS_URL',
      ]);
    }
  });

  it('refuses the dev issuer and plain http keys in production', () => {
    const env = loadConfig(schema, {
      KNUTEPUNKT_ENV: 'production',
      AUTH_ISSUER: DEV_ISSUER,
      AUTH_JWKS_URL: 'http://keys.example/jwks',
    });
    expect(() => authSettings(env)).toThrow(/development issuer[\s\S]*https/);
  });

  it('refuses both a JWKS URL and file', () => {
    const env = loadConfig(schema, {
      AUTH_JWKS_URL: 'https://keys.example/jwks',
      AUTH_JWKS_FILE: '/keys.json',
    });
    expect(() => authSettings(env)).toThrow(/one, not both/);
  });

  it('validates the numbers', () => {
    expect(() => loadConfig(schema, { AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toThrow(ConfigError);
    expect(() => loadConfig(schema, { AUTH_JWKS_URL: 'not a url' })).toThrow(ConfigError);
  });
});
