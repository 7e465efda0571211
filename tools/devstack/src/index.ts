/**
 * The local stack, programmatically: jest's globalSetup and `npm start` call ensureStack();
 * the CLI (./cli.ts) is the same functions for people.
 */
import type { Component } from './component';
import { allComponents } from './components';
import { provisionDatabases } from './components/postgres';
import { confluentApiUrl } from './components/schema-registry';
import { databaseUrl, kafkaBrokers, loadConfig, testDatabaseUrl } from './config';
import { DevstackError } from './errors';
import { withStackLock } from './lock';
import { stackPaths } from './paths';
import { withReporter, type Reporter } from './report';
import {
  componentStates,
  downComponents,
  formatTable,
  selectComponents,
  upComponents,
  type ComponentState,
  type UpResult,
} from './stack';

export type { Component, StackPaths } from './component';
export { prometheusComponent } from './components/prometheus';
export { localApps, localServiceTargets, type AppName, type LocalApp } from './local-services';
export {
  ENSURE_PROMETHEUS_COMMAND,
  PROMETHEUS_BINARY,
  PROMETHEUS_RULES,
  prometheusBinary,
  prometheusConfig,
  prometheusConfigYaml,
  type PrometheusSetup,
} from './prometheus/config';
export { DevstackError } from './errors';
export type { Reporter } from './report';
export type { ComponentState } from './stack';

export interface StackInfo {
  kafkaBrokers: string[];
  databaseUrl: string;
  testDatabaseUrl: string;
  /** the Confluent-compatible API's base URL, prefix included (give it to @kafkajs/confluent-schema-registry as `host`) */
  schemaRegistryUrl: string;
  /** the components this call started (empty when everything was already up) */
  startedNow: string[];
}

export interface StackOptions {
  /** only these components and their dependencies (default: all but the optional ones) */
  readonly components?: readonly string[];
  /** optional components to add (`up --with-prometheus`) */
  readonly with?: readonly string[];
  /** where progress lines go (default: stderr) */
  readonly reporter?: Reporter;
}

/** The components that `names` select (and `include`: see selectComponents), in dependency order. */
export function stackComponents(
  names: readonly string[] = [],
  include: readonly string[] | 'every-optional' = [],
): Component[] {
  return selectComponents(allComponents, names, include);
}

/** `up`: starts what does not answer yet; the full result, for the CLI's table. */
export async function upStack(options: StackOptions = {}): Promise<UpResult> {
  const paths = stackPaths();
  return withReporter(options.reporter, () =>
    withStackLock(paths, async () => {
      const components = stackComponents(options.components, options.with);
      const result = await upComponents(paths, components);
      // Cheap and idempotent: also repairs a dropped test database on an already running server.
      if (
        components.some((c) => c.name === 'postgres') &&
        !result.failed.some((f) => f.name === 'postgres')
      ) {
        await provisionDatabases();
      }
      return result;
    }),
  );
}

/**
 * Makes sure the stack runs (starting what does not) and says where it is. Rejects with a
 * DevstackError naming each component that could not start.
 */
export async function ensureStack(options: StackOptions = {}): Promise<StackInfo> {
  const result = await upStack(options);
  if (result.failed.length > 0) {
    throw new DevstackError(
      `the local stack is not up:\n${result.failed.map((f) => `  ${f.name}: ${f.error}`).join('\n')}`,
    );
  }
  const config = loadConfig();
  return {
    kafkaBrokers: kafkaBrokers(config),
    databaseUrl: databaseUrl(config),
    testDatabaseUrl: testDatabaseUrl(config),
    // The registry plug-in knows its API prefix (Apicurio serves the Confluent API under one).
    schemaRegistryUrl: confluentApiUrl(config),
    startedNow: [...result.started],
  };
}

/**
 * Stops what the devstack started (pid files), in reverse dependency order, optional components
 * included; names what it stopped.
 */
export async function stopStack(options: StackOptions = {}): Promise<string[]> {
  const paths = stackPaths();
  return withReporter(options.reporter, () =>
    withStackLock(paths, () =>
      downComponents(paths, stackComponents(options.components, 'every-optional')),
    ),
  );
}

/**
 * The state of the named components (default: every one that is not optional, and each
 * optional one that runs or is asked for with `with`).
 */
export async function stackStatus(
  options: Pick<StackOptions, 'components' | 'with'> = {},
): Promise<ComponentState[]> {
  const names = options.components ?? [];
  const asked = new Set(options.with ?? []);
  const components = stackComponents(names, names.length === 0 ? 'every-optional' : [...asked]);
  const states = await componentStates(stackPaths(), components);
  return states.filter((state, index) => {
    const component = components[index];
    return (
      names.length > 0 ||
      component?.optional !== true ||
      asked.has(state.name) ||
      state.up ||
      state.pid !== undefined
    );
  });
}

export function formatStatus(states: readonly ComponentState[]): string {
  return formatTable(stackPaths(), states);
}
