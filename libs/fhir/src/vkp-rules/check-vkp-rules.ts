/**
 * The VKP rules, checked after FHIR R4 structure (validateStructure): what the VKP R4 profiles,
 * code systems, value sets and message definitions in ../shared/vkp-r4 say, read from the
 * tables generated from those files (generated/vkp-profiles.ts, ../code-systems/generated).
 *
 * - Profiles: each resource (the submission, every Bundle entry, every contained resource) is
 *   held to the VKP profiles its `meta.profile` names, else to the VKP profile for its type;
 *   every extension with a VKP extension definition's URL to that definition. A profile's
 *   required elements (min ≥ 1), bounded cardinalities (max 0 prohibits), fixed and pattern
 *   values, required bindings to VKP value sets, and slices (their own min/max and rules,
 *   closed slicing) are checked, each where its parent element occurs.
 * - Codes: a Coding whose system is a VKP code system must carry a code of that system.
 * - References inside a Bundle resolve to an entry (fullUrl, or type/id), `#id` to a contained
 *   resource.
 * - A message Bundle starts with its MessageHeader, and where a VKP MessageDefinition defines
 *   its event, the focus resources are of the types and counts it lists (and held to the
 *   profiles it names).
 *
 * Problems come back in document order per rule kind, each with the FHIRPath of the offending
 * element. Messages never repeat a submitted value.
 */
import { codeSystemByUrl, isInValueSet, lookupCode, valueSetByUrl } from '../code-systems/lookup';
import type { VkpValueSetUrl } from '../code-systems/lookup';
import type { FhirError } from '../result';
import { vkpMessageDefinitions, vkpProfileRules } from './generated/vkp-profiles';
import { canonicalSystem, meetsFixedValue } from './known-defects';
import type { ElementRuleData, FixedPrimitive, ProfileRuleData } from './profile-data';
import { buildRuleTree, fixedValuesBelow, type RuleNode } from './profile-tree';

export type VkpRuleCode =
  | 'VKP.REQUIRED'
  | 'VKP.PROHIBITED'
  | 'VKP.CARDINALITY'
  | 'VKP.FIXED_VALUE'
  | 'VKP.SLICE_NOT_ALLOWED'
  | 'VKP.NOT_IN_VALUE_SET'
  | 'VKP.UNKNOWN_CODE'
  | 'VKP.UNRESOLVED_REFERENCE'
  | 'VKP.MESSAGE_FOCUS';

export interface VkpRuleProblem extends FhirError<VkpRuleCode> {
  readonly expression: string;
  /** The profile or definition whose rule it breaks, where there is one. */
  readonly source?: string;
}

export interface VkpRuleOptions {
  /**
   * Identifier systems taken beside the slices of a profile that closes an identifier's slicing
   * by `system` (vkp-MedicationDispense-v090 closes `subject.identifier` to FNR, DNR and FHN):
   * the municipality's own EPJ identifier systems, which DESIGN.md accepts as patient
   * identifiers.
   */
  readonly additionalIdentifierSystems?: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

interface Item {
  readonly value: unknown;
  readonly path: string;
  /** The JSON property it came from (`valueQuantity` for `value[x]`). */
  readonly property: string;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPrimitive = (value: unknown): value is FixedPrimitive =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const listOf = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];

// ---------------------------------------------------------------------------------------
// The profiles, indexed once

interface CompiledProfile {
  readonly data: ProfileRuleData;
  readonly tree: RuleNode;
}

const compiled = new Map<string, CompiledProfile>();

function compiledProfile(data: ProfileRuleData): CompiledProfile {
  let profile = compiled.get(data.url);
  if (!profile) {
    profile = { data, tree: buildRuleTree(data) };
    compiled.set(data.url, profile);
  }
  return profile;
}

const profilesByUrl: ReadonlyMap<string, ProfileRuleData> = new Map(
  vkpProfileRules.map((profile) => [profile.url, profile]),
);

const extensionDefinitions: ReadonlyMap<string, ProfileRuleData> = new Map(
  vkpProfileRules
    .filter((profile) => profile.type === 'Extension')
    .map((profile) => [profile.url, profile]),
);

/**
 * The VKP profile for a resource type that names none: the only VKP profile of that type, or,
 * where there are several (Encounter, Observation), the one named `vkp-<Type>-v090`.
 */
export function defaultVkpProfileOf(resourceType: string): ProfileRuleData | undefined {
  const ofType = vkpProfileRules.filter(
    (profile) => profile.kind === 'resource' && profile.type === resourceType,
  );
  if (ofType.length === 1) return ofType[0];
  const conventional = `/vkp-${resourceType}-v090`.toLowerCase();
  return ofType.find((profile) => profile.url.toLowerCase().endsWith(conventional));
}

const defaultProfiles = new Map<string, ProfileRuleData | undefined>();

function defaultProfileFor(resourceType: string): ProfileRuleData | undefined {
  if (!defaultProfiles.has(resourceType)) {
    defaultProfiles.set(resourceType, defaultVkpProfileOf(resourceType));
  }
  return defaultProfiles.get(resourceType);
}

/** The VKP profiles a resource is held to: those its meta.profile names, else its type's. */
export function vkpProfilesFor(
  resource: Json,
  required: readonly string[] = [],
): readonly ProfileRuleData[] {
  const type = resource['resourceType'];
  if (typeof type !== 'string') return [];
  const meta = resource['meta'];
  const named = isObject(meta) ? listOf(meta['profile']) : [];
  const known = [...named, ...required]
    .filter((url): url is string => typeof url === 'string')
    .map((url) => profilesByUrl.get(url))
    .filter((profile): profile is ProfileRuleData => profile?.type === type);
  const unique = [...new Set(known)];
  if (unique.length > 0) return unique;
  const fallback = defaultProfileFor(type);
  return fallback ? [fallback] : [];
}

// ---------------------------------------------------------------------------------------
// Profile rules

class Checker {
  readonly problems: VkpRuleProblem[] = [];
  private readonly additionalSystems: ReadonlySet<string>;

  constructor(options: VkpRuleOptions) {
    this.additionalSystems = new Set(options.additionalIdentifierSystems ?? []);
  }

  report(code: VkpRuleCode, message: string, expression: string, source?: string): void {
    this.problems.push({
      code,
      message,
      expression,
      ...(source === undefined ? {} : { source }),
    });
  }

  checkProfile(profile: CompiledProfile, root: Json, path: string): void {
    this.checkNode(profile, profile.tree, root, path);
  }

  private checkNode(profile: CompiledProfile, node: RuleNode, parent: Json, path: string): void {
    for (const [name, child] of node.children) {
      const items = itemsOf(parent, path, name);
      const where = `${path}.${name.replace('[x]', '')}`;
      this.checkRule(profile, child.rule, items, where, undefined);
      for (const item of items) {
        if (isObject(item.value)) this.checkNode(profile, child, item.value, item.path);
      }
      if (child.slices.size > 0) this.checkSlices(profile, child, items, where);
    }
  }

  private checkSlices(
    profile: CompiledProfile,
    element: RuleNode,
    items: readonly Item[],
    where: string,
  ): void {
    const matched = new Set<Item>();
    for (const [sliceName, slice] of element.slices) {
      const members = items.filter((item) => inSlice(element, sliceName, slice, item));
      for (const member of members) matched.add(member);
      this.checkRule(profile, slice.rule, members, where, sliceName);
      for (const member of members) {
        if (isObject(member.value)) this.checkNode(profile, slice, member.value, member.path);
      }
    }
    if (element.rule?.slicing?.rules !== 'closed') return;
    const discriminators = element.rule.slicing.discriminators;
    for (const item of items) {
      if (matched.has(item)) continue;
      const bySystem =
        element.name === 'identifier' &&
        discriminators.length > 0 &&
        discriminators.every((d) => d.path === 'system');
      const system = isObject(item.value) ? item.value['system'] : undefined;
      if (bySystem && typeof system === 'string' && this.additionalSystems.has(system)) continue;
      const allowed = [...element.slices.keys()].join(', ');
      this.report(
        'VKP.SLICE_NOT_ALLOWED',
        `${item.path} matches none of the slices ${profile.data.name} allows here (${allowed}).`,
        item.path,
        profile.data.url,
      );
    }
  }

  private checkRule(
    profile: CompiledProfile,
    rule: ElementRuleData | undefined,
    items: readonly Item[],
    where: string,
    sliceName: string | undefined,
  ): void {
    if (!rule) return;
    const name = profile.data.name;
    const what = sliceName === undefined ? where : `${where} (slice ${sliceName})`;
    if (rule.min !== undefined && items.length < rule.min) {
      this.report(
        'VKP.REQUIRED',
        rule.min === 1
          ? `${what} is required by ${name}.`
          : `${what} needs at least ${String(rule.min)} entries in ${name}.`,
        where,
        profile.data.url,
      );
    }
    if (rule.max !== undefined) {
      const max = Number(rule.max);
      const [first] = items;
      if (max === 0 && first) {
        this.report(
          'VKP.PROHIBITED',
          `${what} must not be sent: ${name} prohibits it.`,
          first.path,
          profile.data.url,
        );
      } else if (max > 0 && items.length > max) {
        this.report(
          'VKP.CARDINALITY',
          `${what} takes at most ${rule.max} in ${name}.`,
          where,
          profile.data.url,
        );
      }
    }
    const fixed = rule.fixed;
    if (fixed) {
      for (const item of items) {
        if (isPrimitive(item.value) && !meetsFixedValue(fixed.value, item.value)) {
          this.report(
            'VKP.FIXED_VALUE',
            `${item.path} must be ${JSON.stringify(fixed.value)} in ${name}.`,
            item.path,
            profile.data.url,
          );
        }
      }
    }
    if (rule.requiredBinding !== undefined) {
      const valueSet = valueSetByUrl(rule.requiredBinding);
      // Bindings to value sets that are not in ../shared/vkp-r4 cannot be checked (see the
      // vkp-rules README for the list).
      if (valueSet) {
        for (const item of items) this.checkBinding(profile, valueSet.url, item);
      }
    }
  }

  private checkBinding(profile: CompiledProfile, valueSetUrl: string, item: Item): void {
    const url = valueSetUrl as VkpValueSetUrl;
    const value = item.value;
    if (typeof value === 'string') {
      const valueSet = valueSetByUrl(url);
      const inSet = valueSet?.include.some((c) => isInValueSet(url, c.system, value)) ?? false;
      if (!inSet) this.reportBinding(profile, url, item);
      return;
    }
    if (!isObject(value)) return;
    const codings = (
      'coding' in value || 'text' in value ? listOf(value['coding']) : [value]
    ).filter(isObject);
    const inSet = codings.some((coding) => {
      const { system, code } = coding;
      return (
        typeof system === 'string' &&
        typeof code === 'string' &&
        isInValueSet(url, canonicalSystem(system), code)
      );
    });
    if (inSet) return;
    // A code its VKP code system does not know is reported once, by the code rule.
    const unknownCode = codings.some((coding) => {
      const { system, code } = coding;
      if (typeof system !== 'string' || typeof code !== 'string') return false;
      const canonical = canonicalSystem(system);
      return codeSystemByUrl(canonical) !== undefined && lookupCode(canonical, code) === undefined;
    });
    if (!unknownCode) this.reportBinding(profile, url, item);
  }

  private reportBinding(profile: CompiledProfile, valueSetUrl: string, item: Item): void {
    this.report(
      'VKP.NOT_IN_VALUE_SET',
      `${item.path} needs a code from ${valueSetUrl}, which ${profile.data.name} binds as required.`,
      item.path,
      profile.data.url,
    );
  }
}

/** The values of `name` in `parent`, each with its FHIRPath; `value[x]` matches `valueQuantity`… */
function itemsOf(parent: Json, path: string, name: string): Item[] {
  const items: Item[] = [];
  const properties = name.endsWith('[x]')
    ? choiceProperties(parent, name.slice(0, -3))
    : name in parent
      ? [name]
      : [];
  for (const property of properties) {
    const value = parent[property];
    if (Array.isArray(value)) {
      value.forEach((element: unknown, index) => {
        if (element !== null) {
          items.push({ value: element, path: `${path}.${property}[${String(index)}]`, property });
        }
      });
    } else if (value !== undefined && value !== null) {
      items.push({ value, path: `${path}.${property}`, property });
    }
  }
  return items;
}

function choiceProperties(parent: Json, base: string): string[] {
  return Object.keys(parent).filter(
    (key) =>
      key.length > base.length && key.startsWith(base) && /[A-Z]/.test(key[base.length] ?? ''),
  );
}

/** Every primitive value at a dotted path below `value` (lists flattened). */
function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  if (path === '$this') return current;
  for (const step of path.split('.')) {
    current = current.flatMap((v) => (isObject(v) ? listOf(v[step]) : []));
  }
  return current;
}

/**
 * Whether `item` belongs to the slice: by the JSON property for a type discriminator
 * (`value[x]:valueString`), else by value — the item carries, at each discriminator path, one
 * of the values the slice fixes there (an extension slice's `url` is its definition's URL).
 * A slice without slicing information (its base profile is not in ../shared/vkp-r4) is matched
 * by all the values fixed directly below it.
 */
function inSlice(element: RuleNode, sliceName: string, slice: RuleNode, item: Item): boolean {
  const slicing = element.rule?.slicing;
  const discriminators = slicing?.discriminators ?? [];
  if (discriminators.some((d) => d.type === 'type')) {
    const base = element.name.replace('[x]', '');
    return (
      item.property === sliceName ||
      item.property === `${base}${sliceName.charAt(0).toUpperCase()}${sliceName.slice(1)}`
    );
  }
  const fixed = fixedValuesBelow(slice);
  const paths =
    discriminators.length > 0
      ? discriminators.map((d) => d.path)
      : [...fixed.keys()].filter((path) => !path.includes('.'));
  if (paths.length === 0) return false;
  return paths.every((path) => {
    const candidates = new Set<unknown>(fixed.get(path) ?? []);
    if (path === 'url') for (const url of slice.rule?.profiles ?? []) candidates.add(url);
    if (candidates.size === 0) return false;
    return valuesAt(item.value, path).some(
      (value) =>
        candidates.has(value) ||
        [...candidates].some((c) => isPrimitive(c) && meetsFixedValue(c, value)),
    );
  });
}

// ---------------------------------------------------------------------------------------
// Walking the submission

interface ResourceAt {
  readonly resource: Json;
  readonly path: string;
  /** Profiles a message definition requires of it, beside its own. */
  readonly required: readonly string[];
  /** A contained resource: its references are checked with its container's. */
  readonly contained: boolean;
}

/** The resource, its contained resources, and for a Bundle every entry's resource. */
function resourcesOf(root: Json, required: ReadonlyMap<number, readonly string[]>): ResourceAt[] {
  const type = typeof root['resourceType'] === 'string' ? root['resourceType'] : 'Resource';
  const found: ResourceAt[] = [];
  const withContained = (resource: Json, path: string, requiredProfiles: readonly string[]) => {
    found.push({ resource, path, required: requiredProfiles, contained: false });
    listOf(resource['contained']).forEach((contained, index) => {
      if (isObject(contained)) {
        const at = `${path}.contained[${String(index)}]`;
        found.push({ resource: contained, path: at, required: [], contained: true });
      }
    });
  };
  withContained(root, type, []);
  if (type === 'Bundle') {
    listOf(root['entry']).forEach((entry, index) => {
      const resource = isObject(entry) ? entry['resource'] : undefined;
      if (isObject(resource)) {
        withContained(
          resource,
          `Bundle.entry[${String(index)}].resource`,
          required.get(index) ?? [],
        );
      }
    });
  }
  return found;
}

function checkExtensions(checker: Checker, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((element: unknown, index) => {
      checkExtensions(checker, element, `${path}[${String(index)}]`);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'resource' || key === 'contained') continue; // walked as resources of their own
    const childPath = `${path}.${key}`;
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
      child.forEach((extension: unknown, index) => {
        if (!isObject(extension)) return;
        const url = extension['url'];
        const definition = typeof url === 'string' ? extensionDefinitions.get(url) : undefined;
        if (definition) {
          checker.checkProfile(
            compiledProfile(definition),
            extension,
            `${childPath}[${String(index)}]`,
          );
        }
      });
    }
    checkExtensions(checker, child, childPath);
  }
}

function checkCodes(checker: Checker, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((element: unknown, index) => {
      checkCodes(checker, element, `${path}[${String(index)}]`);
    });
    return;
  }
  if (!isObject(value)) return;
  const { system, code } = value;
  if (typeof system === 'string' && typeof code === 'string') {
    const canonical = canonicalSystem(system);
    if (codeSystemByUrl(canonical) !== undefined && lookupCode(canonical, code) === undefined) {
      checker.report(
        'VKP.UNKNOWN_CODE',
        `${path}.code is not a code of the VKP code system ${canonical}.`,
        `${path}.code`,
        canonical,
      );
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'resource' || key === 'contained') continue;
    checkCodes(checker, child, `${path}.${key}`);
  }
}

// ---------------------------------------------------------------------------------------
// References and messages

const relativeReference =
  /^(?:(https?:\/\/.+)\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

class BundleIndex {
  private readonly fullUrls = new Map<string, number>();
  private readonly typeIds = new Map<string, number>();

  constructor(readonly entries: readonly unknown[]) {
    entries.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const fullUrl = entry['fullUrl'];
      if (typeof fullUrl === 'string') {
        this.fullUrls.set(fullUrl, index);
        const match = relativeReference.exec(fullUrl);
        if (match?.[2] !== undefined && match[3] !== undefined) {
          this.typeIds.set(`${match[2]}/${match[3]}`, index);
        }
      }
      const resource = entry['resource'];
      if (isObject(resource)) {
        const { resourceType, id } = resource;
        if (typeof resourceType === 'string' && typeof id === 'string') {
          this.typeIds.set(`${resourceType}/${id}`, index);
        }
      }
    });
  }

  /** The entry a reference points at; `undefined` for an absolute URL outside the Bundle; `null` when it points at nothing. */
  resolve(reference: string): number | null | undefined {
    const byFullUrl = this.fullUrls.get(reference);
    if (byFullUrl !== undefined) return byFullUrl;
    const match = relativeReference.exec(reference);
    if (!match) return null;
    const [, base, type, id] = match;
    const byTypeId = this.typeIds.get(`${type ?? ''}/${id ?? ''}`);
    if (byTypeId !== undefined) return byTypeId;
    // An absolute URL to another server is not the Bundle's to resolve.
    return base === undefined ? null : undefined;
  }

  resourceAt(index: number): Json | undefined {
    const entry = this.entries[index];
    const resource = isObject(entry) ? entry['resource'] : undefined;
    return isObject(resource) ? resource : undefined;
  }
}

function checkReferences(
  checker: Checker,
  resource: Json,
  path: string,
  bundle: BundleIndex | undefined,
): void {
  const containedIds = new Set(
    listOf(resource['contained'])
      .map((contained) => (isObject(contained) ? contained['id'] : undefined))
      .filter((id): id is string => typeof id === 'string'),
  );
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((element: unknown, index) => {
        visit(element, `${at}[${String(index)}]`);
      });
      return;
    }
    if (!isObject(value)) return;
    const reference = value['reference'];
    if (typeof reference === 'string') {
      const resolved = reference.startsWith('#')
        ? reference === '#' || containedIds.has(reference.slice(1))
        : bundle === undefined || bundle.resolve(reference) !== null;
      if (!resolved) {
        checker.report(
          'VKP.UNRESOLVED_REFERENCE',
          reference.startsWith('#')
            ? `${at}.reference points at no contained resource.`
            : `${at}.reference points at no entry of the Bundle (by fullUrl or type/id).`,
          `${at}.reference`,
        );
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'resource') continue;
      visit(child, `${at}.${key}`);
    }
  };
  visit(resource, path);
}

/** Checks a message Bundle's header; returns the profiles its definition requires of focus entries. */
function checkMessage(checker: Checker, bundle: BundleIndex): Map<number, readonly string[]> {
  const required = new Map<number, readonly string[]>();
  const header = bundle.resourceAt(0);
  if (header?.['resourceType'] !== 'MessageHeader') {
    checker.report(
      'VKP.MESSAGE_FOCUS',
      'A message Bundle starts with its MessageHeader as the first entry.',
      'Bundle.entry[0].resource',
    );
    return required;
  }
  const event = header['eventCoding'];
  if (!isObject(event)) return required;
  const definition = vkpMessageDefinitions.find(
    (d) => d.event.system === event['system'] && d.event.code === event['code'],
  );
  if (!definition) return required;
  const headerPath = 'Bundle.entry[0].resource';
  const counts = new Map<string, number>();
  listOf(header['focus']).forEach((focus, index) => {
    const reference = isObject(focus) ? focus['reference'] : undefined;
    if (typeof reference !== 'string') return;
    const target = bundle.resolve(reference);
    if (target === null || target === undefined) return; // reported by the reference rule
    const type = bundle.resourceAt(target)?.['resourceType'];
    if (typeof type !== 'string') return;
    const focusRule = definition.focus.find((f) => f.type === type);
    if (!focusRule) {
      checker.report(
        'VKP.MESSAGE_FOCUS',
        `${headerPath}.focus[${String(index)}] is a ${type}; the event ${definition.event.code} (${definition.title}) takes ${definition.focus.map((f) => f.type).join(', ')}.`,
        `${headerPath}.focus[${String(index)}]`,
        definition.source,
      );
      return;
    }
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (focusRule.profile !== undefined) required.set(target, [focusRule.profile]);
  });
  for (const focus of definition.focus) {
    const count = counts.get(focus.type) ?? 0;
    if (count < focus.min) {
      checker.report(
        'VKP.MESSAGE_FOCUS',
        `The event ${definition.event.code} (${definition.title}) needs ${String(focus.min)} ${focus.type} as focus.`,
        `${headerPath}.focus`,
        definition.source,
      );
    } else if (focus.max !== '*' && count > Number(focus.max)) {
      checker.report(
        'VKP.MESSAGE_FOCUS',
        `The event ${definition.event.code} (${definition.title}) takes at most ${focus.max} ${focus.type} as focus.`,
        `${headerPath}.focus`,
        definition.source,
      );
    }
  }
  return required;
}

// ---------------------------------------------------------------------------------------

/**
 * Every VKP rule the resource breaks (after FHIR R4 structure has been checked); an empty list
 * means it keeps them all. Order: message, references, profiles (resource by resource), codes.
 */
export function checkVkpRules(resource: Json, options: VkpRuleOptions = {}): VkpRuleProblem[] {
  const checker = new Checker(options);
  const isBundle = resource['resourceType'] === 'Bundle';
  const bundle = isBundle ? new BundleIndex(listOf(resource['entry'])) : undefined;
  const required =
    bundle && resource['type'] === 'message' ? checkMessage(checker, bundle) : new Map();
  const resources = resourcesOf(resource, required);
  for (const { resource: each, path, contained } of resources) {
    if (!contained && each['resourceType'] !== 'Bundle') {
      checkReferences(checker, each, path, bundle);
    }
  }
  for (const { resource: each, path, required: requiredProfiles } of resources) {
    for (const profile of vkpProfilesFor(each, requiredProfiles)) {
      checker.checkProfile(compiledProfile(profile), each, path);
    }
    checkExtensions(checker, each, path);
    checkCodes(checker, each, path);
  }
  return dedupe(checker.problems);
}

function dedupe(problems: readonly VkpRuleProblem[]): VkpRuleProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code} ${problem.expression} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
