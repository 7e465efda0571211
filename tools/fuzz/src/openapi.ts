/** The one repair `npm run fuzz` makes to ingest's OpenAPI description before fuzzing it. */

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly [key: string]: unknown;
}

interface Operation {
  parameters?: Parameter[];
  readonly [key: string]: unknown;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly [key: string]: unknown;
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Declares each `{name}` of a path template that an operation does not declare (Schemathesis
 * refuses such an operation: "Path parameter 'type' is not defined"), as the same-named path
 * parameter of another operation, else a plain string. Returns the repaired document and
 * `METHOD /path: name` for each repair, to print: each is a gap in the description to fix at
 * its source.
 */
export function declareMissingPathParameters(document: OpenApiDocument): {
  readonly document: OpenApiDocument;
  readonly repaired: readonly string[];
} {
  const declared = new Map<string, Parameter>();
  for (const operation of operationsOf(document)) {
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'path' && !declared.has(parameter.name)) {
        declared.set(parameter.name, parameter);
      }
    }
  }
  const copy = structuredClone(document);
  const repaired: string[] = [];
  for (const [path, item] of Object.entries(copy.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    // Path-item parameters apply to every operation under the path.
    const shared = Array.isArray(item['parameters']) ? (item['parameters'] as Parameter[]) : [];
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      for (const name of names) {
        const present = [...shared, ...(operation.parameters ?? [])].some(
          (p) => p.in === 'path' && p.name === name,
        );
        if (present) continue;
        const like = declared.get(name);
        const parameter: Parameter = {
          ...(like ?? { schema: { type: 'string' } }),
          name,
          in: 'path',
          required: true,
        };
        operation.parameters = [...(operation.parameters ?? []), parameter];
        repaired.push(`${method.toUpperCase()} ${path}: ${name}`);
      }
    }
  }
  return { document: copy, repaired };
}

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    Object.entries(item)
      .filter(([method]) => methods.has(method))
      .map(([, operation]) => operation),
  );
}
