import type { Component, StackPaths } from './component';
import { formatTable, orderByDependencies, selectComponents } from './stack';

function component(name: string, dependsOn: readonly string[] = [], optional = false): Component {
  return {
    name,
    dependsOn,
    optional,
    isUp: () => Promise.resolve(true),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    describe: () => name,
  };
}

const names = (components: readonly Component[]): string[] => components.map((c) => c.name);

describe('orderByDependencies', () => {
  it('puts each component after what it depends on, otherwise keeping the given order', () => {
    const stack = [
      component('schema-registry', ['kafka']),
      component('kafka'),
      component('postgres'),
    ];
    expect(names(orderByDependencies(stack))).toEqual(['kafka', 'schema-registry', 'postgres']);
  });

  it('names a circle', () => {
    expect(() => orderByDependencies([component('a', ['b']), component('b', ['a'])])).toThrow(
      /a → b → a/,
    );
  });

  it('names a dependency that is not in the stack', () => {
    expect(() => orderByDependencies([component('a', ['zookeeper'])])).toThrow(/zookeeper/);
  });
});

describe('selectComponents', () => {
  const stack = [
    component('kafka'),
    component('postgres'),
    component('schema-registry', ['kafka']),
  ];

  it('selects everything by default', () => {
    expect(names(selectComponents(stack, []))).toEqual(['kafka', 'postgres', 'schema-registry']);
  });

  it('brings the dependencies of what is asked for', () => {
    expect(names(selectComponents(stack, ['schema-registry']))).toEqual([
      'kafka',
      'schema-registry',
    ]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => selectComponents(stack, ['redis'])).toThrow(
      /redis.*kafka, postgres, schema-registry/,
    );
  });

  describe('with an optional component', () => {
    const withOptional = [...stack, component('prometheus', [], true)];

    it('leaves it out by default', () => {
      expect(names(selectComponents(withOptional, []))).toEqual([
        'kafka',
        'postgres',
        'schema-registry',
      ]);
    });

    it('adds it to the default selection when included (up --with-prometheus)', () => {
      expect(names(selectComponents(withOptional, [], ['prometheus']))).toEqual([
        'kafka',
        'postgres',
        'schema-registry',
        'prometheus',
      ]);
    });

    it('adds it to named components when included, and selects it when named', () => {
      expect(names(selectComponents(withOptional, ['kafka'], ['prometheus']))).toEqual([
        'kafka',
        'prometheus',
      ]);
      expect(names(selectComponents(withOptional, ['prometheus']))).toEqual(['prometheus']);
    });

    it('takes everything when every optional component is wanted (down)', () => {
      expect(names(selectComponents(withOptional, [], 'every-optional'))).toEqual([
        'kafka',
        'postgres',
        'schema-registry',
        'prometheus',
      ]);
    });
  });
});

describe('formatTable', () => {
  const paths: StackPaths = {
    root: '/repo',
    local: '/repo/.local',
    logs: '/repo/.local/logs',
    run: '/repo/.local/run',
  };

  it('shows one aligned line per component: name, state, pid or external, where, log', () => {
    const table = formatTable(paths, [
      {
        name: 'kafka',
        up: true,
        pid: 123,
        description: 'Kafka at 127.0.0.1:9092',
        log: '/repo/.local/logs/kafka.log',
      },
      {
        name: 'postgres',
        up: true,
        pid: undefined,
        description: 'PostgreSQL at 127.0.0.1:5432',
        log: '/repo/.local/logs/postgres.log',
      },
      {
        name: 'schema-registry',
        up: false,
        pid: undefined,
        description: 'registry',
        log: '/repo/.local/logs/schema-registry.log',
      },
    ]);
    expect(table.split('\n')).toEqual([
      'kafka            up    pid 123   Kafka at 127.0.0.1:9092       .local/logs/kafka.log',
      'postgres         up    external  PostgreSQL at 127.0.0.1:5432  .local/logs/postgres.log',
      'schema-registry  down  -         registry                      .local/logs/schema-registry.log',
    ]);
  });
});
