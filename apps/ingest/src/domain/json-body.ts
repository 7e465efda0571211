import { visit, type JSONPath } from 'jsonc-parser';

/** Iterative, so a hostile body cannot overflow the stack while we measure it. */
export function depthOf(root: object, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, depth] = item;
    if (depth > deepest) deepest = depth;
    if (depth > limit) return depth;
    if (typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) {
        if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
      }
    }
  }
  return deepest;
}

export interface DuplicateKey {
  readonly key: string;
  /** Where the object holding it is, from the root: property names and array indexes. */
  readonly path: JSONPath;
}

/**
 * The first name that appears twice in one object of a body JSON.parse accepted. JSON.parse
 * keeps the last silently; another parser may keep the first, so the event a vendor meant and
 * the one we journal could differ: such a body is refused, not guessed at (RFC 8259 §4).
 */
export function duplicateKey(text: string): DuplicateKey | null {
  const open: Set<string>[] = [];
  let found: DuplicateKey | null = null;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, _offset, _length, _line, _column, pathOf) => {
        const keys = open.at(-1);
        if (found !== null || keys === undefined) return;
        if (keys.has(key)) found = { key, path: pathOf() };
        keys.add(key);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
}

/** `Patient.name[0]` from a resource type and a path inside it. */
export function fhirPathOf(resourceType: string, path: JSONPath): string {
  return path.reduce<string>(
    (expression, segment) =>
      typeof segment === 'number' ? `${expression}[${segment}]` : `${expression}.${segment}`,
    resourceType,
  );
}
