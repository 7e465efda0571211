/**
 * Reads the VKP R4 StructureDefinitions (XML and JSON) and the MessageDefinition into the plain
 * rule data of src/vkp-rules/profile-data.ts, and renders it as one TypeScript module.
 *
 * Used by generate-code-systems.ts (which writes src/vkp-rules/generated/) and by the
 * staleness test. Only what can be checked is kept (see profile-data.ts); descriptions,
 * mappings and must-support flags are dropped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type {
  ElementRuleData,
  FixedPrimitive,
  MessageDefinitionData,
  MessageFocusData,
  ProfileRuleData,
  SlicingData,
} from '../src/vkp-rules/profile-data';
import { decodeEntities, repoRoot, vkpR4Dir } from './terminology-xml';

export const profileRulesDir = join(repoRoot, 'libs', 'fhir', 'src', 'vkp-rules', 'generated');
export const profileRulesModule = 'vkp-profiles.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * FHIR XML as the JSON of the same resource, for the few parts read here: a primitive
 * `<min value="1"/>` becomes `min: "1"`, repeating elements become lists.
 */
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) =>
    ['element', 'type', 'profile', 'targetProfile', 'discriminator', 'focus'].includes(name),
});

function valueOf(element: unknown, source: string): string | undefined {
  if (!isObject(element)) return undefined;
  const value = element['@value'];
  return typeof value === 'string' ? decodeEntities(value, source) : undefined;
}

/** The primitive types whose fixed[x] / pattern[x] values are kept, with their JSON type. */
const primitiveTypes: Readonly<Record<string, 'string' | 'number' | 'boolean'>> = {
  Uri: 'string',
  Url: 'string',
  Canonical: 'string',
  Code: 'string',
  String: 'string',
  Id: 'string',
  Oid: 'string',
  Uuid: 'string',
  Markdown: 'string',
  DateTime: 'string',
  Date: 'string',
  Instant: 'string',
  Integer: 'number',
  UnsignedInt: 'number',
  PositiveInt: 'number',
  Decimal: 'number',
  Boolean: 'boolean',
};

interface ElementReader {
  readonly value: (element: Json, name: string) => string | undefined;
  readonly children: (element: Json, name: string) => Json[];
  readonly fixed: (element: Json, key: string, type: 'string' | 'number' | 'boolean') => unknown;
}

function jsonReader(): ElementReader {
  return {
    value: (element, name) => {
      const value = element[name];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    },
    children: (element, name) => list(element[name]).filter(isObject),
    fixed: (element, key) => element[key],
  };
}

function xmlReader(source: string): ElementReader {
  return {
    value: (element, name) => valueOf(list(element[name])[0], source),
    children: (element, name) => list(element[name]).filter(isObject),
    fixed: (element, key, type) => {
      const text = valueOf(element[key], source);
      if (text === undefined) return undefined;
      if (type === 'number') return Number(text);
      if (type === 'boolean') return text === 'true';
      return text;
    },
  };
}

function elementRule(element: Json, read: ElementReader, source: string): ElementRuleData | null {
  const id =
    read.value(element, 'id') ?? readAttribute(element, 'id') ?? read.value(element, 'path');
  if (id === undefined) throw new Error(`${source}: an element without id or path`);
  const rule: {
    id: string;
    min?: number;
    max?: string;
    fixed?: ElementRuleData['fixed'];
    requiredBinding?: string;
    slicing?: SlicingData;
    profiles?: string[];
  } = { id };
  const min = read.value(element, 'min');
  if (min !== undefined && Number(min) >= 1) rule.min = Number(min);
  const max = read.value(element, 'max');
  if (max !== undefined && max !== '*') rule.max = max;
  for (const key of Object.keys(element)) {
    const match = /^(fixed|pattern)([A-Z][A-Za-z]*)$/.exec(key);
    const [, kind, typeName] = match ?? [];
    if ((kind !== 'fixed' && kind !== 'pattern') || typeName === undefined) continue;
    const jsonType = primitiveTypes[typeName];
    // Complex fixed and pattern values (a CodeableConcept pattern) do not occur in VKP R4's
    // profiles; stop rather than drop one silently.
    if (jsonType === undefined) throw new Error(`${source}: ${id} has ${key}, not supported`);
    const value = read.fixed(element, key, jsonType);
    if (typeof value !== jsonType) throw new Error(`${source}: ${id} ${key} is not a ${jsonType}`);
    rule.fixed = { kind, type: typeName, value: value as FixedPrimitive };
  }
  const [binding] = read.children(element, 'binding');
  if (binding && read.value(binding, 'strength') === 'required') {
    const valueSet = read.value(binding, 'valueSet');
    if (valueSet !== undefined) rule.requiredBinding = valueSet;
  }
  const [slicing] = read.children(element, 'slicing');
  if (slicing) {
    rule.slicing = {
      discriminators: read.children(slicing, 'discriminator').map((d) => ({
        type: read.value(d, 'type') ?? '',
        path: read.value(d, 'path') ?? '',
      })),
      rules: read.value(slicing, 'rules') ?? 'open',
    };
  }
  const profiles = read
    .children(element, 'type')
    .flatMap((type) => list(type['profile']))
    .map((profile) => (typeof profile === 'string' ? profile : valueOf(profile, source)))
    .filter((profile): profile is string => profile !== undefined);
  if (profiles.length > 0) rule.profiles = profiles;
  const checkable =
    rule.min !== undefined ||
    rule.max !== undefined ||
    rule.fixed !== undefined ||
    rule.requiredBinding !== undefined ||
    rule.slicing !== undefined ||
    rule.profiles !== undefined ||
    id.includes(':');
  return checkable ? rule : null;
}

function readAttribute(element: Json, name: string): string | undefined {
  const value = element[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

function profileOf(sd: Json, read: ElementReader, source: string): ProfileRuleData {
  const snapshot = read.children(sd, 'snapshot')[0];
  const differential = read.children(sd, 'differential')[0];
  const from = snapshot ? 'snapshot' : 'differential';
  const elements = read.children(snapshot ?? differential ?? {}, 'element');
  const required = (name: string): string => {
    const value = read.value(sd, name);
    if (value === undefined) throw new Error(`${source}: no ${name}`);
    return value;
  };
  return {
    url: required('url'),
    name: required('name'),
    type: required('type'),
    kind: required('kind'),
    baseDefinition: required('baseDefinition'),
    source,
    from,
    elements: elements
      .map((element) => elementRule(element, read, source))
      .filter((rule): rule is ElementRuleData => rule !== null),
  };
}

function messageDefinitionOf(xml: string, source: string): MessageDefinitionData {
  const parsed = xmlParser.parse(xml) as Json;
  const definition = parsed['MessageDefinition'];
  if (!isObject(definition)) throw new Error(`${source}: not a MessageDefinition`);
  const read = xmlReader(source);
  const [event] = read.children(definition, 'event');
  const system = event ? read.value(event, 'system') : undefined;
  const code = event ? read.value(event, 'code') : undefined;
  if (system === undefined || code === undefined) throw new Error(`${source}: no event coding`);
  return {
    title: read.value(definition, 'title') ?? source,
    source,
    event: { system, code },
    focus: read.children(definition, 'focus').map((focus): MessageFocusData => {
      const [codeElement] = read.children(focus, 'code');
      // VKP's file writes the focus type as the `id` attribute of <code> (a known defect of
      // the MessageDefinition); a well-formed file has it as the value.
      const type =
        (codeElement && (read.value(codeElement, 'code') ?? valueOf(codeElement, source))) ??
        (codeElement ? readAttribute(codeElement, 'id') : undefined);
      if (type === undefined) throw new Error(`${source}: a focus without a type`);
      const [profile] = read.children(focus, 'profile');
      const profileUrl = profile ? read.value(profile, 'reference') : undefined;
      return {
        type,
        min: Number(read.value(focus, 'min') ?? '0'),
        max: read.value(focus, 'max') ?? '*',
        ...(profileUrl === undefined ? {} : { profile: profileUrl }),
      };
    }),
  };
}

export interface ProfileRules {
  readonly profiles: readonly ProfileRuleData[];
  readonly messageDefinitions: readonly MessageDefinitionData[];
}

/** Every StructureDefinition and MessageDefinition in `dir`, in file-name order. */
export function readProfileRules(dir: string = vkpR4Dir): ProfileRules {
  const files = (folder: string) =>
    readdirSync(join(dir, folder))
      .filter((name) => name.endsWith('.xml') || name.endsWith('.json'))
      .sort()
      .map((name) => ({
        source: `${folder}/${name}`,
        text: readFileSync(join(dir, folder, name), 'utf8'),
      }));
  const profiles: ProfileRuleData[] = [];
  for (const { source, text } of files('StructureDefinition')) {
    if (source.endsWith('.json')) {
      const sd = JSON.parse(text) as Json;
      if (sd['resourceType'] === 'StructureDefinition') {
        profiles.push(profileOf(sd, jsonReader(), source));
      }
      continue;
    }
    const parsed = xmlParser.parse(text) as Json;
    const sd = parsed['StructureDefinition'];
    // The folder also holds the ImplementationGuide.
    if (isObject(sd)) profiles.push(profileOf(sd, xmlReader(source), source));
  }
  const messageDefinitions = files('MessageDefinition').map(({ source, text }) =>
    messageDefinitionOf(text, source),
  );
  return { profiles, messageDefinitions };
}

export function renderProfileRulesModule(rules: ProfileRules): string {
  return (
    '// Generated by libs/fhir/tools/generate-code-systems.ts from ../shared/vkp-r4/StructureDefinition\n' +
    '// and ../shared/vkp-r4/MessageDefinition. Do not edit: change the files and regenerate.\n' +
    "import type { MessageDefinitionData, ProfileRuleData } from '../profile-data';\n\n" +
    '/** Every VKP StructureDefinition (profiles and extensions), in the order of their file names. */\n' +
    `export const vkpProfileRules: readonly ProfileRuleData[] = ${JSON.stringify(rules.profiles, null, 2)};\n\n` +
    '/** The VKP MessageDefinitions: which focus resources a message event takes. */\n' +
    `export const vkpMessageDefinitions: readonly MessageDefinitionData[] = ${JSON.stringify(rules.messageDefinitions, null, 2)};\n`
  );
}
