/**
 * The JSONPath subset vendor templates use (docs/vendor-templates.md). No JSONPath library is
 * installed in this repository, and a template needs only to point at one value, so this is
 * the part of RFC 9535 that selects a single node:
 *
 * - `$` the root of the vendor's document, `@` the current item of the template's `each` array;
 * - `.name` a member (letters, digits, `_`, `-`);
 * - `['name']` or `["name"]` any member name (spaces, dots, non-ASCII);
 * - `[3]` an array element by index (`[-1]` counts from the end).
 *
 * Wildcards, slices, filters and recursive descent are refused when the template is loaded:
 * each template field names exactly one value, so an error can name exactly one path.
 */
export type PathRoot = '$' | '@';

export type PathSegment =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number };

export interface JsonPath {
  readonly root: PathRoot;
  readonly segments: readonly PathSegment[];
  /** The expression as written in the template. */
  readonly source: string;
}

export type ParsedPath =
  { readonly ok: true; readonly value: JsonPath } | { readonly ok: false; readonly error: string };

const plainName = /^[A-Za-z_][A-Za-z0-9_-]*/;
const simpleName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Parses `source`; the error says what is wrong and where, for the template's author. */
export function parseJsonPath(source: string): ParsedPath {
  const root = source[0];
  if (root !== '$' && root !== '@') {
    return { ok: false, error: `"${source}" must start with $ (the document) or @ (the item)` };
  }
  const segments: PathSegment[] = [];
  let rest = source.slice(1);
  while (rest.length > 0) {
    const at = source.length - rest.length;
    if (rest.startsWith('..')) {
      return { ok: false, error: `"${source}": recursive descent (..) is not supported` };
    }
    if (rest.startsWith('.')) {
      const name = plainName.exec(rest.slice(1))?.[0];
      if (name === undefined) {
        return { ok: false, error: `"${source}": a member name is expected at ${at + 1}` };
      }
      segments.push({ kind: 'member', name });
      rest = rest.slice(1 + name.length);
      continue;
    }
    if (rest.startsWith('[')) {
      const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (quoted !== null) {
        const name = (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1');
        segments.push({ kind: 'member', name });
        rest = rest.slice(quoted[0].length);
        continue;
      }
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      if (index !== null) {
        segments.push({ kind: 'index', index: Number(index[1]) });
        rest = rest.slice(index[0].length);
        continue;
      }
      return {
        ok: false,
        error: `"${source}": only ['name'] and [index] are supported in brackets (at ${at})`,
      };
    }
    return { ok: false, error: `"${source}": unexpected "${rest[0] ?? ''}" at ${at}` };
  }
  return { ok: true, value: { root, segments, source } };
}

/** Where a path was evaluated: the document, and the current item with its concrete path. */
export interface PathScope {
  readonly document: unknown;
  readonly item?: { readonly value: unknown; readonly path: string };
}

/**
 * The value at `path`, with the concrete path it was found at (`@.ts` in item 2 of
 * `$.events` is `$.events[2].ts`), or where the walk stopped: `found: false` names the
 * deepest path that exists plus the segment that does not.
 */
export type Selected =
  | { readonly found: true; readonly value: unknown; readonly path: string }
  | { readonly found: false; readonly path: string };

export function select(path: JsonPath, scope: PathScope): Selected {
  let value: unknown;
  let concrete: string;
  if (path.root === '@') {
    if (scope.item === undefined) {
      return { found: false, path: path.source };
    }
    value = scope.item.value;
    concrete = scope.item.path;
  } else {
    value = scope.document;
    concrete = '$';
  }
  for (const segment of path.segments) {
    if (segment.kind === 'member') {
      concrete += simpleName.test(segment.name)
        ? `.${segment.name}`
        : `['${segment.name.replace(/'/g, "\\'")}']`;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { found: false, path: concrete };
      }
      if (!Object.prototype.hasOwnProperty.call(value, segment.name)) {
        return { found: false, path: concrete };
      }
      value = (value as Record<string, unknown>)[segment.name];
    } else {
      if (!Array.isArray(value)) {
        return { found: false, path: `${concrete}[${segment.index}]` };
      }
      const index = segment.index < 0 ? value.length + segment.index : segment.index;
      concrete += `[${index}]`;
      if (index < 0 || index >= value.length) {
        return { found: false, path: concrete };
      }
      value = value[index] as unknown;
    }
  }
  return value === null || value === undefined
    ? { found: false, path: concrete }
    : { found: true, value, path: concrete };
}
