import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isClusterId,
  kafkaVersionFromPom,
  newClusterId,
  parseProperties,
  renderServerProperties,
  renderTemplate,
} from './server-properties';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const template = fs.readFileSync(
  path.join(repo, 'deploy', 'local', 'kafka', 'server.properties'),
  'utf8',
);
const settings = {
  host: '127.0.0.1',
  port: 9092,
  controllerPort: 9093,
  logDirs: '/repo/.local/kafka/data',
};

describe('renderServerProperties (deploy/local/kafka/server.properties)', () => {
  const properties = parseProperties(renderServerProperties(template, settings));

  it('makes one combined KRaft node on loopback', () => {
    expect(properties.get('process.roles')).toBe('broker,controller');
    expect(properties.get('node.id')).toBe('1');
    expect(properties.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(properties.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
    );
    expect(properties.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(properties.get('controller.listener.names')).toBe('CONTROLLER');
    expect(properties.get('log.dirs')).toBe('/repo/.local/kafka/data');
  });

  it('creates no topic implicitly and sizes everything for one broker', () => {
    expect(properties.get('auto.create.topics.enable')).toBe('false');
    expect(properties.get('num.partitions')).toBe('3');
    expect(properties.get('offsets.topic.replication.factor')).toBe('1');
    expect(properties.get('transaction.state.log.replication.factor')).toBe('1');
    expect(properties.get('transaction.state.log.min.isr')).toBe('1');
    expect(properties.get('min.insync.replicas')).toBe('1');
    expect(properties.get('group.initial.rebalance.delay.ms')).toBe('0');
  });

  it('leaves no placeholder behind', () => {
    const rendered = renderServerProperties(template, settings);
    const settingLines = rendered.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(settingLines.join('\n')).not.toMatch(/\{\{/);
  });

  it('follows port overrides', () => {
    const moved = parseProperties(
      renderServerProperties(template, { ...settings, port: 19092, controllerPort: 19093 }),
    );
    expect(moved.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(moved.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
  });

  it('refuses one port for both listeners', () => {
    expect(() => renderServerProperties(template, { ...settings, controllerPort: 9092 })).toThrow(
      /two ports/,
    );
  });

  it('writes Windows paths with forward slashes (a backslash is an escape in .properties)', () => {
    const rendered = parseProperties(
      renderServerProperties(template, { ...settings, logDirs: 'C:\\repo\\.local\\kafka\\data' }),
    );
    expect(rendered.get('log.dirs')).toBe('C:/repo/.local/kafka/data');
  });
});

describe('renderTemplate', () => {
  it('fails on a placeholder without a value', () => {
    expect(() => renderTemplate('a={{missing}}', {})).toThrow(/\{\{missing\}\}/);
  });

  it('leaves comment lines alone', () => {
    expect(renderTemplate('# {{whatever}}\nx={{x}}', { x: '1' })).toBe('# {{whatever}}\nx=1');
  });

  it('refuses values that would inject another setting', () => {
    expect(() => renderTemplate('x={{x}}', { x: '1\nauto.create.topics.enable=true' })).toThrow(
      /spans lines/,
    );
  });
});

describe('cluster ids', () => {
  it('look like kafka-storage random-uuid output', () => {
    for (let i = 0; i < 50; i++) expect(isClusterId(newClusterId())).toBe(true);
  });

  it('never start with "-" and are never the reserved ids', () => {
    const draws = [
      Buffer.from('fb'.repeat(16), 'hex'),
      Buffer.alloc(16),
      Buffer.from('00'.repeat(15) + '01', 'hex'),
      Buffer.from('01'.repeat(16), 'hex'),
    ];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 2));
    expect(id).toBe(Buffer.from('01'.repeat(16), 'hex').toString('base64url'));
  });
});

describe('kafkaVersionFromPom', () => {
  it('reads <kafka.version> of tools/devstack/kafka/pom.xml', () => {
    const pom = fs.readFileSync(path.join(repo, 'tools', 'devstack', 'kafka', 'pom.xml'), 'utf8');
    expect(kafkaVersionFromPom(pom)).toMatch(/^4\.\d+\.\d+$/);
  });

  it('is undefined without one', () => {
    expect(kafkaVersionFromPom('<project/>')).toBeUndefined();
  });
});
