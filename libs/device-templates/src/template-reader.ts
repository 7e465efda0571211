/**
 * Reads values out of one vendor document the way one template says: the items of its `each`
 * array, constants, paths through their maps, identifiers. Every failure names the concrete
 * path in the vendor's document (`$.events[2].ts`). The reader does not know the caller's error
 * type: it reports a `TemplateReadProblem` through the `fail` it was given, so the normalizer's
 * failures are its own `NormalizeError`s.
 */
import { select, type PathScope, type Selected } from './json-path';
import type { DeviceTemplate, ValueSpec } from './template-file';

export type Scalar = string | number | boolean;

export type TemplateReadProblem = 'MISSING_ELEMENT' | 'INVALID_FORMAT' | 'UNKNOWN_CODE';

export type ReadResult<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export type ProblemReporter<E> = (problem: TemplateReadProblem, message: string, path: string) => E;

export interface Item {
  readonly value: unknown;
  readonly path: string;
}

export interface Identified {
  readonly value: { readonly system: string; readonly value: string };
  readonly path: string;
}

export class TemplateReader<E> {
  constructor(
    readonly template: DeviceTemplate,
    private readonly document: unknown,
    private readonly fail: ProblemReporter<E>,
  ) {}

  /** The items to map: the `each` array's elements, or the document once (`undefined`). */
  items(): ReadResult<readonly (Item | undefined)[], E> {
    const each = this.template.file.each;
    if (each === undefined) return ok([undefined]);
    const found = this.select(each, { document: this.document });
    if (!found.found) return this.missing(found.path);
    if (!Array.isArray(found.value)) {
      return this.problem('INVALID_FORMAT', `${found.path} must be an array.`, found.path);
    }
    return ok(
      (found.value as unknown[]).map((value, index) => ({
        value,
        path: `${found.path}[${index}]`,
      })),
    );
  }

  present(path: string, scope: PathScope): boolean {
    return this.select(path, scope).found;
  }

  /** A required value as text, with the path it came from. */
  text(spec: ValueSpec, scope: PathScope): ReadResult<{ value: string; path: string }, E> {
    const read = this.scalar(spec, scope);
    if (!read.ok) return read;
    if (read.value === undefined) return this.missing(pathOf(spec));
    return ok({ value: String(read.value.value), path: read.value.path });
  }

  optionalText(spec: ValueSpec | undefined, scope: PathScope): ReadResult<string | undefined, E> {
    if (spec === undefined) return ok(undefined);
    const read = this.scalar(spec, scope, true);
    if (!read.ok) return read;
    return ok(read.value === undefined ? undefined : String(read.value.value));
  }

  /**
   * An identifier, `undefined` when its value is optional and absent (a sensor whose resident may
   * be unknown is attributed by its device loan instead). `fallbackSystem` stands in for a
   * system the document does not give.
   */
  identifier(
    spec: { readonly system: ValueSpec; readonly value: ValueSpec },
    scope: PathScope,
    fallbackSystem?: string,
  ): ReadResult<Identified | undefined, E> {
    const value = this.scalar(spec.value, scope);
    if (!value.ok) return value;
    if (value.value === undefined) return ok(undefined);
    const system = this.scalar(spec.system, scope, fallbackSystem !== undefined);
    if (!system.ok) return system;
    const systemText = system.value === undefined ? fallbackSystem : String(system.value.value);
    if (systemText === undefined) return this.missing(pathOf(spec.system));
    return ok({
      value: { system: systemText, value: String(value.value.value) },
      path: value.value.path,
    });
  }

  /**
   * A scalar: a constant, or the value at a path through the spec's map. `undefined` when an
   * optional path is absent; an error when a required one is, or when the value is an object
   * or array, or is not one the map knows.
   */
  scalar(
    spec: ValueSpec,
    scope: PathScope,
    optional = false,
  ): ReadResult<{ value: Scalar; path: string } | undefined, E> {
    if (typeof spec === 'object' && 'const' in spec) {
      return ok({ value: spec.const, path: 'template' });
    }
    const {
      path,
      map,
      optional: optionalHere,
    } = typeof spec === 'string' ? { path: spec, map: undefined, optional: false } : spec;
    const absentIsFine = optional || optionalHere === true;
    const found = this.select(path, scope);
    if (!found.found) return absentIsFine ? ok(undefined) : this.missing(found.path);
    const value = found.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return this.wrongType(found.path, 'a text, number or boolean');
    }
    if (typeof value === 'string' && value.trim() === '') {
      return absentIsFine ? ok(undefined) : this.missing(found.path);
    }
    if (map === undefined) return ok({ value, path: found.path });
    const key = String(value);
    if (!Object.hasOwn(map, key)) {
      return this.problem(
        'UNKNOWN_CODE',
        `"${key}" is not a value template ${this.template.ref} knows (${Object.keys(map).join(', ')}).`,
        found.path,
      );
    }
    const mapped = map[key];
    if (mapped === null || mapped === undefined) {
      // The template maps this vendor value to nothing for this field.
      return absentIsFine
        ? ok(undefined)
        : this.problem(
            'MISSING_ELEMENT',
            `"${key}" gives no value for a field template ${this.template.ref} requires.`,
            found.path,
          );
    }
    return ok({ value: mapped, path: found.path });
  }

  select(source: string, scope: PathScope): Selected {
    const path = this.template.paths.get(source);
    if (path === undefined) {
      // Every path was parsed when the template was loaded.
      throw new Error(`template ${this.template.ref} has no parsed path ${source}`);
    }
    return select(path, scope);
  }

  missing(path: string): { readonly ok: false; readonly error: E } {
    return this.problem('MISSING_ELEMENT', `${path} is missing.`, path);
  }

  wrongType(path: string, expected: string): { readonly ok: false; readonly error: E } {
    return this.problem('INVALID_FORMAT', `${path} must be ${expected}.`, path);
  }

  private problem(
    problem: TemplateReadProblem,
    message: string,
    path: string,
  ): { readonly ok: false; readonly error: E } {
    return { ok: false, error: this.fail(problem, message, path) };
  }
}

/** The path a spec reads, or `template` for a constant (what an error about it names). */
export function pathOf(spec: ValueSpec): string {
  return typeof spec === 'string' ? spec : 'path' in spec ? spec.path : 'template';
}

function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}
