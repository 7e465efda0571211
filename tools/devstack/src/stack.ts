/** Orchestration over Components: dependency order, up, down, the status table. */
import type { Component, StackPaths } from './component';
import { DevstackError, errorMessage } from './errors';
import { display, logFile } from './paths';
import { livePid } from './process';
import { report } from './report';

/** Components in an order where each comes after what it depends on (stable otherwise). */
export function orderByDependencies(components: readonly Component[]): Component[] {
  const byName = new Map(components.map((component) => [component.name, component]));
  const ordered: Component[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (component: Component, chain: readonly string[]): void => {
    const seen = state.get(component.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new DevstackError(
        `components depend on each other in a circle: ${[...chain, component.name].join(' → ')}`,
      );
    state.set(component.name, 'visiting');
    for (const dependency of component.dependsOn) {
      const target = byName.get(dependency);
      if (target === undefined)
        throw new DevstackError(
          `${component.name} depends on ${dependency}, which is no component of the stack`,
        );
      visit(target, [...chain, component.name]);
    }
    state.set(component.name, 'done');
    ordered.push(component);
  };
  for (const component of components) visit(component, []);
  return ordered;
}

/**
 * The named components plus everything they depend on, in dependency order. Without names: every
 * component that is not optional. `include` adds optional components by name (`--with-<name>`),
 * or `every-optional` makes "no names" mean every component (what `down` stops).
 */
export function selectComponents(
  components: readonly Component[],
  names: readonly string[],
  include: readonly string[] | 'every-optional' = [],
): Component[] {
  const ordered = orderByDependencies(components);
  const defaults =
    include === 'every-optional' ? ordered : ordered.filter((component) => !component.optional);
  const extra = include === 'every-optional' ? [] : include;
  if (names.length === 0 && extra.length === 0) return defaults;
  const byName = new Map(components.map((component) => [component.name, component]));
  const wanted = new Set<string>();
  const add = (name: string): void => {
    const component = byName.get(name);
    if (component === undefined) {
      throw new DevstackError(
        `no component named ${name} (there are: ${components.map((c) => c.name).join(', ')})`,
      );
    }
    if (wanted.has(name)) return;
    wanted.add(name);
    component.dependsOn.forEach(add);
  };
  (names.length === 0 ? defaults.map((component) => component.name) : names).forEach(add);
  extra.forEach(add);
  return ordered.filter((component) => wanted.has(component.name));
}

export interface ComponentState {
  readonly name: string;
  readonly up: boolean;
  /** our process's pid; undefined when it is not running or runs without our pid file */
  readonly pid: number | undefined;
  readonly description: string;
  readonly log: string;
}

export async function componentStates(
  paths: StackPaths,
  components: readonly Component[],
): Promise<ComponentState[]> {
  return Promise.all(
    components.map(async (component): Promise<ComponentState> => {
      const up = await component.isUp(paths).catch(() => false);
      return {
        name: component.name,
        up,
        pid: livePid(paths, component.name),
        description: safeDescribe(component),
        log: logFile(paths, component.name),
      };
    }),
  );
}

function safeDescribe(component: Component): string {
  try {
    return component.describe();
  } catch (error: unknown) {
    return `(${errorMessage(error)})`;
  }
}

/**
 * One line per component: name, up/down, pid (or "external" when something we did not start
 * answers), where it runs, its log.
 */
export function formatTable(paths: StackPaths, states: readonly ComponentState[]): string {
  const rows = states.map((state) => [
    state.name,
    state.up ? 'up' : 'down',
    state.pid !== undefined ? `pid ${state.pid}` : state.up ? 'external' : '-',
    state.description,
    display(paths, state.log),
  ]);
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column] ?? 0) : cell))
        .join('  '),
    )
    .join('\n');
}

export interface UpResult {
  /** started by this call */
  readonly started: readonly string[];
  readonly failed: readonly { readonly name: string; readonly error: string }[];
  readonly states: readonly ComponentState[];
}

/**
 * Starts, in dependency order, each component that does not answer yet. A component whose
 * dependency failed is not tried; independent ones still are. Never throws for a component's
 * failure: the result lists it.
 */
export async function upComponents(
  paths: StackPaths,
  components: readonly Component[],
): Promise<UpResult> {
  const ordered = orderByDependencies(components);
  const before = await componentStates(paths, ordered);
  const started: string[] = [];
  const failed: { name: string; error: string }[] = [];
  if (before.every((state) => state.up)) return { started, failed, states: before };

  for (const component of ordered) {
    const broken = component.dependsOn.find((dependency) =>
      failed.some((failure) => failure.name === dependency),
    );
    if (broken !== undefined) {
      failed.push({
        name: component.name,
        error: `not started: it needs ${broken}, which did not start`,
      });
      continue;
    }
    if (await component.isUp(paths).catch(() => false)) continue;
    const startedAt = Date.now();
    try {
      await component.start(paths);
      started.push(component.name);
      report(`${component.name}: up after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    } catch (error: unknown) {
      const message = errorMessage(error);
      failed.push({ name: component.name, error: message });
      report(`${component.name}: FAILED: ${message}`);
    }
  }
  return { started, failed, states: await componentStates(paths, ordered) };
}

/** Stops, in reverse dependency order, what we started (by pid file). Names what it stopped. */
export async function downComponents(
  paths: StackPaths,
  components: readonly Component[],
): Promise<string[]> {
  const stopped: string[] = [];
  const errors: string[] = [];
  for (const component of [...orderByDependencies(components)].reverse()) {
    const hadPid = livePid(paths, component.name) !== undefined;
    try {
      await component.stop(paths);
      if (hadPid) {
        stopped.push(component.name);
        report(`${component.name}: stopped`);
      }
    } catch (error: unknown) {
      errors.push(`${component.name}: ${errorMessage(error)}`);
    }
  }
  if (errors.length > 0)
    throw new DevstackError(`could not stop everything:\n${errors.join('\n')}`);
  return stopped;
}
