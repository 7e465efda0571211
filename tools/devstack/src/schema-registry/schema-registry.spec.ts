import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  apicurioVersionFromPom,
  buildInputsHash,
  confluentApiUrl,
  h2Url,
  registryDirs,
  registryJvmArgs,
} from '../components/schema-registry';
import { loadConfig } from '../config';

const paths = {
  root: '/repo',
  local: '/repo/.local',
  logs: '/repo/.local/logs',
  run: '/repo/.local/run',
};

describe('schema registry component', () => {
  it('hands clients the Confluent API URL with the Apicurio prefix', () => {
    expect(confluentApiUrl(loadConfig({}))).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(confluentApiUrl(loadConfig({ SCHEMA_REGISTRY_PORT: '18081' }))).toBe(
      'http://127.0.0.1:18081/apis/ccompat/v7',
    );
  });

  it('runs on loopback, on the configured port, with its H2 file under .local', () => {
    const dirs = registryDirs(paths);
    const args = registryJvmArgs(loadConfig({ SCHEMA_REGISTRY_PORT: '18081' }), dirs);
    expect(args).toContain('-Dquarkus.http.host=127.0.0.1');
    expect(args).toContain('-Dquarkus.http.port=18081');
    expect(args).toContain(
      '-Dquarkus.datasource.jdbc.url=jdbc:h2:file:/repo/.local/schema-registry/data/registry',
    );
    expect(args.slice(-2)).toEqual([
      '-jar',
      '/repo/.local/schema-registry/app/devstack-schema-registry-0.0.0-runner.jar',
    ]);
    expect(h2Url('/x/data')).toBe('jdbc:h2:file:/x/data/registry');
  });

  it('reads the Apicurio version from the pom', () => {
    expect(
      apicurioVersionFromPom('<p><apicurio.version> 2.4.2.Final </apicurio.version></p>'),
    ).toBe('2.4.2.Final');
    expect(apicurioVersionFromPom('<p/>')).toBeUndefined();
    const pom = fs.readFileSync(
      path.join(__dirname, '..', '..', 'schema-registry', 'pom.xml'),
      'utf8',
    );
    expect(apicurioVersionFromPom(pom)).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe('buildInputsHash', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-build-'));
      fs.writeFileSync(path.join(dir, 'pom.xml'), '<project/>');
      fs.writeFileSync(path.join(dir, 'settings.xml'), '<settings/>');
      fs.mkdirSync(path.join(dir, 'src', 'main', 'java'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'main', 'java', 'A.java'), 'class A {}');
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('is stable, and changes with any file the build reads', () => {
      const first = buildInputsHash(dir);
      expect(buildInputsHash(dir)).toBe(first);
      fs.writeFileSync(path.join(dir, 'src', 'main', 'java', 'A.java'), 'class A { }');
      const second = buildInputsHash(dir);
      expect(second).not.toBe(first);
      fs.writeFileSync(path.join(dir, 'src', 'main', 'java', 'B.java'), 'class B {}');
      expect(buildInputsHash(dir)).not.toBe(second);
    });

    it('ignores files the build does not read', () => {
      const before = buildInputsHash(dir);
      fs.writeFileSync(path.join(dir, 'verify.ts'), 'console.log(1)');
      expect(buildInputsHash(dir)).toBe(before);
    });
  });
});
