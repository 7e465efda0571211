import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { chartDir } from './helm';

/**
 * Object values whose content is a Kubernetes type passed through as is. The schema cannot close
 * them without copying Kubernetes' own schema; the chart tests validate what they render into.
 */
const passThroughObjects = new Set([
  '/properties/global',
  '/definitions/serviceWithDatabase/properties/affinity',
  '/definitions/serviceWithoutDatabase/properties/affinity',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON pointers of every object schema that accepts keys nobody declared. */
function openObjects(schema: Json, pointer = ''): string[] {
  if (!isObject(schema)) return [];
  const open: string[] = [];
  if (schema['type'] === 'object') {
    const extra = schema['additionalProperties'];
    // Closed (false), or a map whose values are typed (labels, annotations, extraEnv).
    const closed = extra === false || isObject(extra);
    if (!closed && !passThroughObjects.has(pointer)) open.push(pointer);
  }
  for (const [key, child] of Object.entries(schema)) {
    if (key === 'properties' || key === 'definitions') {
      if (isObject(child)) {
        for (const [name, sub] of Object.entries(child)) {
          open.push(...openObjects(sub, `${pointer}/${key}/${name}`));
        }
      }
    } else if (key === 'items' || key === 'additionalProperties') {
      open.push(...openObjects(child, `${pointer}/${key}`));
    } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(child)) {
      child.forEach((sub, index) =>
        open.push(...openObjects(sub, `${pointer}/${key}/${String(index)}`)),
      );
    }
  }
  return open;
}

/**
 * Dotted paths of the values whose `# --` comment (helm-docs) is missing. A map with its own
 * `# --` comment is documented as a whole (resources, selectors); one without is a group whose
 * values each need one.
 */
function undocumentedValues(map: YAMLMap, prefix = ''): string[] {
  const missing: string[] = [];
  map.items.forEach((pair, index) => {
    const key = `${prefix}${String((pair.key as { value?: unknown }).value)}`;
    // The parser attaches the comment above a collection's first key to the collection.
    const keyComment = (pair.key as { commentBefore?: string | null }).commentBefore;
    const comment = keyComment ?? (index === 0 ? map.commentBefore : undefined) ?? '';
    const paragraphAbove = comment.split(/\n\s*\n/).pop() ?? '';
    if (/^\s?-- \S/m.test(paragraphAbove)) return;
    if (isMap(pair.value) && pair.value.items.length > 0) {
      missing.push(...undocumentedValues(pair.value, `${key}.`));
    } else {
      missing.push(key);
    }
  });
  return missing;
}

describe('values.schema.json', () => {
  const schema = JSON.parse(
    readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8'),
  ) as Json;

  it('closes every object, so an unknown key is an error', () => {
    expect(openObjects(schema)).toEqual([]);
  });

  it('finds an open object when there is one', () => {
    const open: Json = {
      type: 'object',
      properties: { a: { type: 'object' }, b: { type: 'object', additionalProperties: false } },
    };
    expect(openObjects(open)).toEqual(['', '/properties/a']);
  });
});

describe('values.yaml', () => {
  it('documents every value with a `# --` comment', () => {
    const document = parseDocument(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
    expect(isMap(document.contents)).toBe(true);
    expect(undocumentedValues(document.contents as YAMLMap)).toEqual([]);
  });

  it('notices a value without a `# --` comment', () => {
    const document = parseDocument(
      '# -- documented\na: 1\nb:\n  # -- documented\n  c: 2\n  d: 3\n# plain comment\ne: 4\n' +
        '# -- a map documented as a whole\nf:\n  g: 5\n',
    );
    expect(undocumentedValues(document.contents as YAMLMap)).toEqual(['b.d', 'e']);
  });
});
