/**
 * The resources of a submission, read from its FHIR JSON: one resource, or the entries of a
 * Bundle, with the means to resolve references between them (Bundle entries by `fullUrl` or
 * `Type/id`, contained resources by `#id`).
 */
import {
  child,
  childObject,
  childObjects,
  isJsonObject,
  stringAt,
  type JsonNode,
  type ObjectNode,
} from './fhir-json';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import {
  acceptedBundleTypes,
  submissionResourceTypes,
  type AcceptedBundleType,
} from '@knutepunkt/fhir';

/** One resource of the submission: the submitted resource itself, or one Bundle entry's. */
export interface SubmittedResource {
  readonly node: ObjectNode;
  readonly resourceType: string;
  readonly id: string | undefined;
  /** `Bundle.entry.fullUrl`; undefined outside a Bundle or when not sent. */
  readonly fullUrl: string | undefined;
  /** Position in `Bundle.entry`; undefined for a resource submitted on its own. */
  readonly entryIndex: number | undefined;
}

export interface SubmissionContent {
  /** The submitted resource (the Bundle itself for a Bundle). */
  readonly root: ObjectNode;
  readonly bundleType: AcceptedBundleType | undefined;
  /** The Bundle's entries that have a resource, in entry order; the resource itself otherwise. */
  readonly resources: readonly SubmittedResource[];
  /** The resources by `fullUrl` and by `Type/id` (the first of duplicates), for references. */
  readonly byFullUrl: ReadonlyMap<string, SubmittedResource>;
  readonly byTypeAndId: ReadonlyMap<string, SubmittedResource>;
}

/** What a reference points at: a resource of the submission or one contained in its holder. */
export type ResolvedReference =
  | { readonly kind: 'resource'; readonly resource: SubmittedResource }
  | { readonly kind: 'contained'; readonly node: ObjectNode; readonly resourceType: string };

export function readSubmission(
  fhirJson: string,
  declaredResourceType: string,
): NormalizeResult<SubmissionContent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fhirJson);
  } catch {
    return failWith('NORMALIZE.MALFORMED_JSON', 'The submission is not valid JSON.');
  }
  if (!isJsonObject(parsed)) {
    return failWith('NORMALIZE.NOT_A_RESOURCE', 'The submission is not a JSON object.');
  }
  const resourceType = parsed['resourceType'];
  if (typeof resourceType !== 'string' || resourceType.trim() === '') {
    return failWith(
      'NORMALIZE.NOT_A_RESOURCE',
      'The submission is not a FHIR resource: resourceType is missing.',
      'resourceType',
    );
  }
  if (resourceType !== declaredResourceType) {
    return failWith(
      'NORMALIZE.RESOURCE_TYPE_MISMATCH',
      `The submission is a ${resourceType}, but was accepted as a ${declaredResourceType}.`,
      'resourceType',
    );
  }
  if (!(submissionResourceTypes as readonly string[]).includes(resourceType)) {
    return failWith(
      'NORMALIZE.UNSUPPORTED_RESOURCE_TYPE',
      `A ${resourceType} cannot be submitted on its own; accepted: ${submissionResourceTypes.join(', ')}.`,
      'resourceType',
    );
  }
  const root: ObjectNode = { value: parsed, path: resourceType };
  if (resourceType !== 'Bundle') {
    return succeed(
      indexed(root, undefined, [
        {
          node: root,
          resourceType,
          id: stringAt(root, 'id'),
          fullUrl: undefined,
          entryIndex: undefined,
        },
      ]),
    );
  }
  const bundleType = stringAt(root, 'type');
  const accepted = acceptedBundleTypes.find((type) => type === bundleType);
  if (accepted === undefined) {
    return failWith(
      'NORMALIZE.UNSUPPORTED_BUNDLE_TYPE',
      `Bundle.type must be one of ${acceptedBundleTypes.join(', ')}.`,
      'Bundle.type',
    );
  }
  const resources: SubmittedResource[] = [];
  for (const entry of childObjects(root, 'entry')) {
    const resource = childObject(entry, 'resource');
    if (resource === undefined) {
      // A transaction entry may be a bare request (e.g. DELETE); it carries no event.
      continue;
    }
    const type = stringAt(resource, 'resourceType');
    if (type === undefined) {
      return failWith(
        'NORMALIZE.NOT_A_RESOURCE',
        `${resource.path} has no resourceType.`,
        `${resource.path}.resourceType`,
      );
    }
    resources.push({
      node: resource,
      resourceType: type,
      id: stringAt(resource, 'id'),
      fullUrl: stringAt(entry, 'fullUrl')?.trim(),
      entryIndex: entryIndexOf(entry),
    });
  }
  return succeed(indexed(root, accepted, resources));
}

function indexed(
  root: ObjectNode,
  bundleType: AcceptedBundleType | undefined,
  resources: readonly SubmittedResource[],
): SubmissionContent {
  const byFullUrl = new Map<string, SubmittedResource>();
  const byTypeAndId = new Map<string, SubmittedResource>();
  for (const resource of resources) {
    if (resource.fullUrl !== undefined && !byFullUrl.has(resource.fullUrl)) {
      byFullUrl.set(resource.fullUrl, resource);
    }
    const typeAndId =
      resource.id === undefined ? undefined : `${resource.resourceType}/${resource.id.trim()}`;
    if (typeAndId !== undefined && !byTypeAndId.has(typeAndId)) {
      byTypeAndId.set(typeAndId, resource);
    }
  }
  return { root, bundleType, resources, byFullUrl, byTypeAndId };
}

// The `Type/id` a relative or absolute reference ends with (a version suffix dropped).
const typeAndIdPattern = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

function entryIndexOf(entry: JsonNode): number {
  // children() writes the index into the path: `Bundle.entry[3]`.
  const match = /\[(\d+)\]$/.exec(entry.path);
  return match === null ? 0 : Number(match[1]);
}

/**
 * Resolves a reference string as FHIR does inside a Bundle: `#id` to a resource contained in
 * `holder`; otherwise an entry whose `fullUrl` is the reference, or whose `Type/id` the
 * reference is or ends with (an absolute URL on the vendor's server, perhaps with
 * `/_history/n`).
 */
export function resolveReference(
  content: SubmissionContent,
  holder: SubmittedResource,
  reference: string,
): ResolvedReference | undefined {
  const wanted = reference.trim();
  if (wanted.startsWith('#')) {
    const id = wanted.slice(1);
    const contained = childObjects(holder.node, 'contained').find(
      (resource) => stringAt(resource, 'id') === id,
    );
    const type = contained === undefined ? undefined : stringAt(contained, 'resourceType');
    return contained === undefined || type === undefined
      ? undefined
      : { kind: 'contained', node: contained, resourceType: type };
  }
  const byFullUrl = content.byFullUrl.get(wanted);
  if (byFullUrl !== undefined) {
    return { kind: 'resource', resource: byFullUrl };
  }
  const typeAndId = typeAndIdPattern.exec(wanted)?.[1];
  const byTypeAndId = typeAndId === undefined ? undefined : content.byTypeAndId.get(typeAndId);
  return byTypeAndId === undefined ? undefined : { kind: 'resource', resource: byTypeAndId };
}

/** The resources of the submission that `holder` references anywhere in its content. */
export function referencedResources(
  content: SubmissionContent,
  holder: SubmittedResource,
): readonly SubmittedResource[] {
  const found = new Set<SubmittedResource>();
  const stack: unknown[] = [holder.node.value];
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    if (Array.isArray(value)) {
      stack.push(...(value as unknown[]));
    } else if (isJsonObject(value)) {
      const reference = value['reference'];
      if (typeof reference === 'string') {
        const resolved = resolveReference(content, holder, reference);
        if (resolved?.kind === 'resource' && resolved.resource !== holder) {
          found.add(resolved.resource);
        }
      }
      stack.push(...Object.values(value));
    }
  }
  return [...found];
}

/** The reference string of a Reference node, when it has one. */
export function referenceOf(reference: JsonNode): string | undefined {
  return stringAt(reference, 'reference');
}

/** The Bundle's MessageHeader, for a message Bundle. */
export function messageHeaderOf(content: SubmissionContent): SubmittedResource | undefined {
  return content.bundleType === 'message'
    ? content.resources.find((resource) => resource.resourceType === 'MessageHeader')
    : undefined;
}

/** A Reference's `type` element, or the type its reference string names (`Device/12`). */
export function declaredTypeOf(reference: JsonNode): string | undefined {
  const type = stringAt(reference, 'type');
  if (type !== undefined) {
    return type.trim();
  }
  const text = child(reference, 'reference');
  const match =
    typeof text?.value === 'string' ? /([A-Z][A-Za-z]+)\/[^/]+$/.exec(text.value) : null;
  return match === null ? undefined : match[1];
}
