/**
 * Reads FHIR R4 CodeSystem and ValueSet resources in the XML format into the plain data of
 * src/code-systems/code-system-data.ts, and renders that data as TypeScript modules.
 *
 * Used by generate-code-systems.ts (which writes src/code-systems/generated/) and by the
 * staleness test (which compares the committed modules with the XML). Anything in the XML
 * that the data model cannot hold (designations, value-set filters, …) stops the generator
 * with an error instead of being dropped silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type {
  CodeSystemConcept,
  CodeSystemData,
  ConceptProperty,
  ValueSetComponent,
  ValueSetData,
} from '../src/code-systems/code-system-data';

/** The repository's root (libs/fhir/tools → ../../..). */
export const repoRoot = join(__dirname, '..', '..', '..');

/**
 * The VKP R4 artefacts: `../shared/vkp-r4` next to the repository, as on a developer's machine
 * and in CI (where shared/ is laid beside the fresh clone).
 */
export const vkpR4Dir = join(repoRoot, '..', 'shared', 'vkp-r4');

export const generatedDir = join(repoRoot, 'libs', 'fhir', 'src', 'code-systems', 'generated');

/** A parsed XML element: child elements by name, attributes under `@name`. */
interface XmlElement {
  readonly [name: string]: unknown;
}

const repeatingElements = new Set([
  'concept',
  'property',
  'designation',
  'include',
  'exclude',
  'filter',
  'valueSet',
  'extension',
  'modifierExtension',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Entities are decoded by `decodeEntities`, in one pass, including the numeric character
  // references (&#xD;&#xA;) that FHIR XML uses in text.
  processEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => repeatingElements.has(name),
});

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class TerminologyXmlError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'TerminologyXmlError';
  }
}

function elements(parent: XmlElement, name: string, source: string): readonly XmlElement[] {
  const value = parent[name];
  if (value === undefined) {
    return [];
  }
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (!isElement(item)) {
      throw new TerminologyXmlError(source, `<${name}> is not an element`);
    }
    return item;
  });
}

const predefinedEntities: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Decodes XML's predefined entities and numeric character references in one pass. */
export function decodeEntities(text: string, source: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference, name: string) => {
    if (name.startsWith('#')) {
      const codePoint =
        name.startsWith('#x') || name.startsWith('#X')
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      if (codePoint > 0x10ffff) {
        throw new TerminologyXmlError(source, `invalid character reference ${reference}`);
      }
      return String.fromCodePoint(codePoint);
    }
    const character = predefinedEntities.get(name);
    if (character === undefined) {
      throw new TerminologyXmlError(source, `undefined entity ${reference}`);
    }
    return character;
  });
}

/**
 * The `value` attribute of a FHIR primitive child, trimmed: FHIR says strings should carry no
 * leading or trailing whitespace, and some VKP files have a stray trailing space.
 */
function primitive(parent: XmlElement, name: string, source: string): string | undefined {
  const [child, ...more] = elements(parent, name, source);
  if (child === undefined) {
    return undefined;
  }
  if (more.length > 0) {
    throw new TerminologyXmlError(source, `more than one <${name}>`);
  }
  const value = child['@value'];
  if (typeof value !== 'string') {
    throw new TerminologyXmlError(source, `<${name}> has no value attribute`);
  }
  return decodeEntities(value, source).trim();
}

function requiredPrimitive(parent: XmlElement, name: string, source: string): string {
  const value = primitive(parent, name, source);
  if (value === undefined || value === '') {
    throw new TerminologyXmlError(source, `<${name}> is missing`);
  }
  return value;
}

function onlyKnownChildren(
  element: XmlElement,
  known: readonly string[],
  where: string,
  source: string,
): void {
  for (const name of Object.keys(element)) {
    if (!name.startsWith('@') && !known.includes(name)) {
      throw new TerminologyXmlError(
        source,
        `${where} has <${name}>, which the generator does not support`,
      );
    }
  }
}

function root(xml: string, resourceType: string, source: string): XmlElement {
  // Some of the files start with a byte-order mark.
  const parsed: unknown = parser.parse(xml.replace(/^\uFEFF/, ''));
  if (!isElement(parsed) || !isElement(parsed[resourceType])) {
    throw new TerminologyXmlError(source, `not a FHIR ${resourceType}`);
  }
  const resource = parsed[resourceType];
  if (resource['@xmlns'] !== 'http://hl7.org/fhir') {
    throw new TerminologyXmlError(source, 'not in the FHIR namespace http://hl7.org/fhir');
  }
  return resource;
}

function withOptional<T extends object, K extends string, V>(
  target: T,
  key: K,
  value: V | undefined,
): T & { [P in K]?: V } {
  return value === undefined || value === '' ? target : { ...target, [key]: value };
}

function conceptProperty(element: XmlElement, source: string): ConceptProperty {
  onlyKnownChildren(
    element,
    [
      'code',
      'valueCode',
      'valueString',
      'valueDateTime',
      'valueInteger',
      'valueDecimal',
      'valueBoolean',
      'valueCoding',
    ],
    '<property>',
    source,
  );
  const code = requiredPrimitive(element, 'code', source);
  const text = (type: 'code' | 'string' | 'dateTime'): string | undefined =>
    primitive(element, `value${type.charAt(0).toUpperCase()}${type.slice(1)}`, source);
  for (const type of ['code', 'string', 'dateTime'] as const) {
    const value = text(type);
    if (value !== undefined) {
      return { code, type, value };
    }
  }
  for (const type of ['integer', 'decimal'] as const) {
    const value = primitive(element, type === 'integer' ? 'valueInteger' : 'valueDecimal', source);
    if (value !== undefined) {
      const number = Number(value);
      if (!Number.isFinite(number)) {
        throw new TerminologyXmlError(source, `property ${code} is not a number`);
      }
      return { code, type, value: number };
    }
  }
  const boolean = primitive(element, 'valueBoolean', source);
  if (boolean !== undefined) {
    if (boolean !== 'true' && boolean !== 'false') {
      throw new TerminologyXmlError(source, `property ${code} is not a boolean`);
    }
    return { code, type: 'boolean', value: boolean === 'true' };
  }
  const [coding] = elements(element, 'valueCoding', source);
  if (coding !== undefined) {
    return {
      code,
      type: 'Coding',
      value: {
        system: requiredPrimitive(coding, 'system', source),
        code: requiredPrimitive(coding, 'code', source),
      },
    };
  }
  throw new TerminologyXmlError(source, `property ${code} has no value`);
}

function flattenConcepts(
  parentElement: XmlElement,
  parentCode: string | undefined,
  source: string,
  into: CodeSystemConcept[],
): void {
  for (const element of elements(parentElement, 'concept', source)) {
    onlyKnownChildren(
      element,
      ['code', 'display', 'definition', 'property', 'concept'],
      '<concept>',
      source,
    );
    const code = requiredPrimitive(element, 'code', source);
    const properties = elements(element, 'property', source).map((property) =>
      conceptProperty(property, source),
    );
    let concept: CodeSystemConcept = { code };
    concept = withOptional(concept, 'display', primitive(element, 'display', source));
    concept = withOptional(concept, 'definition', primitive(element, 'definition', source));
    concept = withOptional(concept, 'parent', parentCode);
    concept = withOptional(concept, 'properties', properties.length > 0 ? properties : undefined);
    into.push(concept);
    flattenConcepts(element, code, source, into);
  }
}

/** Reads one FHIR XML CodeSystem. Only `content = complete` systems are accepted. */
export function parseCodeSystemXml(xml: string, source: string): CodeSystemData {
  const resource = root(xml, 'CodeSystem', source);
  const content = primitive(resource, 'content', source);
  if (content !== 'complete') {
    // A fragment or example would make "not in the code system" mean "not listed here".
    throw new TerminologyXmlError(source, `content is ${String(content)}, not complete`);
  }
  const concepts: CodeSystemConcept[] = [];
  flattenConcepts(resource, undefined, source, concepts);
  const seen = new Set<string>();
  for (const { code } of concepts) {
    if (seen.has(code)) {
      throw new TerminologyXmlError(source, `code ${code} is defined twice`);
    }
    seen.add(code);
  }
  const data = {
    url: requiredPrimitive(resource, 'url', source),
    version: requiredPrimitive(resource, 'version', source),
    name: requiredPrimitive(resource, 'name', source),
    status: requiredPrimitive(resource, 'status', source),
  };
  return {
    ...withOptional(data, 'description', primitive(resource, 'description', source)),
    concepts,
  };
}

function valueSetComponent(element: XmlElement, where: string, source: string): ValueSetComponent {
  onlyKnownChildren(element, ['system', 'version', 'concept'], where, source);
  let component: ValueSetComponent = { system: requiredPrimitive(element, 'system', source) };
  component = withOptional(component, 'version', primitive(element, 'version', source));
  const concepts = elements(element, 'concept', source).map((concept) => {
    onlyKnownChildren(concept, ['code', 'display'], `${where} <concept>`, source);
    return withOptional(
      { code: requiredPrimitive(concept, 'code', source) },
      'display',
      primitive(concept, 'display', source),
    );
  });
  return concepts.length > 0 ? { ...component, concepts } : component;
}

/** Reads one FHIR XML ValueSet's `compose`. Filters and value-set imports are refused. */
export function parseValueSetXml(xml: string, source: string): ValueSetData {
  const resource = root(xml, 'ValueSet', source);
  const [compose] = elements(resource, 'compose', source);
  if (compose === undefined) {
    throw new TerminologyXmlError(source, 'has no <compose>');
  }
  onlyKnownChildren(compose, ['include', 'exclude', 'lockedDate', 'inactive'], '<compose>', source);
  const data = {
    url: requiredPrimitive(resource, 'url', source),
    version: requiredPrimitive(resource, 'version', source),
    name: requiredPrimitive(resource, 'name', source),
    status: requiredPrimitive(resource, 'status', source),
  };
  return {
    ...withOptional(data, 'description', primitive(resource, 'description', source)),
    include: elements(compose, 'include', source).map((include) =>
      valueSetComponent(include, '<include>', source),
    ),
    exclude: elements(compose, 'exclude', source).map((exclude) =>
      valueSetComponent(exclude, '<exclude>', source),
    ),
  };
}

export interface Terminology {
  readonly codeSystems: readonly { readonly file: string; readonly data: CodeSystemData }[];
  readonly valueSets: readonly { readonly file: string; readonly data: ValueSetData }[];
}

/**
 * Checks what lookups rely on: canonical URLs are unique, and a value set that includes a
 * whole code system names one that is here (else membership could not be decided).
 */
export function checkTerminology(terminology: Terminology): void {
  const systems = new Set<string>();
  for (const { file, data } of terminology.codeSystems) {
    if (systems.has(data.url)) {
      throw new TerminologyXmlError(file, `${data.url} is defined twice`);
    }
    systems.add(data.url);
  }
  const valueSets = new Set<string>();
  for (const { file, data } of terminology.valueSets) {
    if (valueSets.has(data.url)) {
      throw new TerminologyXmlError(file, `${data.url} is defined twice`);
    }
    valueSets.add(data.url);
    for (const component of [...data.include, ...data.exclude]) {
      if (component.concepts === undefined && !systems.has(component.system)) {
        throw new TerminologyXmlError(
          file,
          `includes all of ${component.system}, which is not among the code systems`,
        );
      }
    }
  }
}

/**
 * Reads every `CodeSystem/*.xml` and `ValueSet/*.xml` under `dir`, in file-name order.
 * Throws when the folder is missing: a staleness check must not pass without its input.
 */
export function readTerminology(dir: string = vkpR4Dir): Terminology {
  const read = (folder: string): { file: string; xml: string }[] => {
    let names: string[];
    try {
      names = readdirSync(join(dir, folder));
    } catch (error) {
      throw new Error(
        `Cannot read ${join(dir, folder)}: the VKP R4 artefacts are expected in ../shared/vkp-r4 next to the repository`,
        { cause: error },
      );
    }
    return names
      .filter((name) => name.endsWith('.xml'))
      .sort()
      .map((name) => ({
        file: `${folder}/${name}`,
        xml: readFileSync(join(dir, folder, name), 'utf8'),
      }));
  };
  const terminology: Terminology = {
    codeSystems: read('CodeSystem').map(({ file, xml }) => ({
      file,
      data: parseCodeSystemXml(xml, file),
    })),
    valueSets: read('ValueSet').map(({ file, xml }) => ({
      file,
      data: parseValueSetXml(xml, file),
    })),
  };
  checkTerminology(terminology);
  return terminology;
}

// ---------------------------------------------------------------------------------------
// Rendering

/** `vkp-alert-code-v090` from `http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090`. */
export function slugOf(url: string): string {
  const slug = url.slice(url.lastIndexOf('/') + 1);
  if (!/^[a-z][a-z0-9-]*$/i.test(slug)) {
    throw new Error(`Cannot name a module after ${url}`);
  }
  return slug.toLowerCase();
}

/** `vkpAlertCodeV090` from `vkp-alert-code-v090`. */
export function camelCaseOf(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

export interface GeneratedModule {
  /** File name inside src/code-systems/generated/. */
  readonly path: string;
  readonly content: string;
}

const header = (source: string): string =>
  `// Generated by libs/fhir/tools/generate-code-systems.ts from ../shared/vkp-r4/${source}.\n` +
  '// Do not edit: change the XML and regenerate.\n';

function docComment(text: string | undefined, fallback: string): string {
  const body = (text ?? fallback).replace(/\*\//g, '*\\/').replace(/\s+/g, ' ');
  return `/** ${body} */\n`;
}

/**
 * One module per code system and per value set, plus an index listing them all. The output
 * is valid TypeScript but not yet Prettier-formatted; the generator formats it.
 */
export function renderTerminologyModules(terminology: Terminology): GeneratedModule[] {
  const modules: GeneratedModule[] = [];
  const codeSystemNames: { name: string; path: string }[] = [];
  const valueSetNames: { name: string; path: string }[] = [];
  for (const { file, data } of terminology.codeSystems) {
    const slug = slugOf(data.url);
    const name = `${camelCaseOf(slug)}CodeSystem`;
    const path = `${slug}.code-system.ts`;
    codeSystemNames.push({ name, path });
    modules.push({
      path,
      content:
        header(file) +
        "import type { CodeSystemData } from '../code-system-data';\n\n" +
        docComment(data.description, `The code system ${data.url}.`) +
        `export const ${name} = ${JSON.stringify(data, null, 2)} as const satisfies CodeSystemData;\n`,
    });
  }
  for (const { file, data } of terminology.valueSets) {
    const slug = slugOf(data.url);
    const name = `${camelCaseOf(slug)}ValueSet`;
    const path = `${slug}.value-set.ts`;
    valueSetNames.push({ name, path });
    modules.push({
      path,
      content:
        header(file) +
        "import type { ValueSetData } from '../code-system-data';\n\n" +
        docComment(data.description, `The value set ${data.url}.`) +
        `export const ${name} = ${JSON.stringify(data, null, 2)} as const satisfies ValueSetData;\n`,
    });
  }
  const all = [...codeSystemNames, ...valueSetNames];
  modules.push({
    path: 'index.ts',
    content:
      '// Generated by libs/fhir/tools/generate-code-systems.ts. Do not edit.\n' +
      all
        .map(({ name, path }) => `import { ${name} } from './${path.replace(/\.ts$/, '')}';\n`)
        .join('') +
      `\nexport { ${all.map(({ name }) => name).join(', ')} };\n\n` +
      '/** Every generated code system, in the order of their XML file names. */\n' +
      `export const generatedCodeSystems = [${codeSystemNames.map(({ name }) => name).join(', ')}] as const;\n\n` +
      '/** Every generated value set, in the order of their XML file names. */\n' +
      `export const generatedValueSets = [${valueSetNames.map(({ name }) => name).join(', ')}] as const;\n`,
  });
  return modules;
}
