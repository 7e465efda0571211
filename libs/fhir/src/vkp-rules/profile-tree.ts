import type { ElementRuleData, FixedPrimitive, ProfileRuleData } from './profile-data';

/**
 * A profile's element rules as a tree along the element ids: `Observation.component:SystolicBP.code`
 * is the child `code` of the slice `SystolicBP` of the child `component` of the root.
 */
export interface RuleNode {
  readonly name: string;
  rule: ElementRuleData | undefined;
  readonly children: Map<string, RuleNode>;
  readonly slices: Map<string, RuleNode>;
  /** Fixed and pattern values below this node by their path relative to it, slice names left out. */
  fixedBelow?: ReadonlyMap<string, ReadonlySet<FixedPrimitive>>;
}

function node(name: string): RuleNode {
  return { name, rule: undefined, children: new Map(), slices: new Map() };
}

function childOf(map: Map<string, RuleNode>, name: string): RuleNode {
  let child = map.get(name);
  if (!child) {
    child = node(name);
    map.set(name, child);
  }
  return child;
}

/** Splits an element id into its segments, each with its slice name (`component:SystolicBP`). */
function segmentsOf(id: string): { name: string; slice: string | undefined }[] {
  return id.split('.').map((segment) => {
    const colon = segment.indexOf(':');
    return colon < 0
      ? { name: segment, slice: undefined }
      : { name: segment.slice(0, colon), slice: segment.slice(colon + 1) };
  });
}

export function buildRuleTree(profile: ProfileRuleData): RuleNode {
  const root = node(profile.type);
  for (const rule of profile.elements) {
    const [, ...segments] = segmentsOf(rule.id);
    let current = root;
    for (const { name, slice } of segments) {
      const child = childOf(current.children, name);
      current = slice === undefined ? child : childOf(child.slices, slice);
    }
    current.rule = rule;
  }
  return root;
}

/**
 * The fixed and pattern values in a slice's subtree by relative path (`code.coding.code`),
 * nested slice names left out: what a value or pattern discriminator compares with.
 */
export function fixedValuesBelow(
  slice: RuleNode,
): ReadonlyMap<string, ReadonlySet<FixedPrimitive>> {
  if (slice.fixedBelow) return slice.fixedBelow;
  const found = new Map<string, Set<FixedPrimitive>>();
  const add = (path: string, value: FixedPrimitive) => {
    const set = found.get(path) ?? new Set<FixedPrimitive>();
    set.add(value);
    found.set(path, set);
  };
  const visit = (current: RuleNode, path: string) => {
    if (current.rule?.fixed) add(path === '' ? '$this' : path, current.rule.fixed.value);
    for (const [name, child] of current.children) {
      const childPath = path === '' ? name : `${path}.${name}`;
      visit(child, childPath);
      for (const nested of child.slices.values()) visit(nested, childPath);
    }
  };
  visit(slice, '');
  slice.fixedBelow = found;
  return found;
}
