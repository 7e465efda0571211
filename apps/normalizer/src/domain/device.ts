/**
 * Finding the welfare-technology device an event came from. VKP names devices three ways: its
 * device extensions (VkpMedicationDispenseDevice-v090, vkp-encounterDevice-v090: a bare IMEI or
 * serial number with a display name and type), a logical reference with an identifier
 * (MedicationDispense.performer.actor), or a reference to a Device entry or contained Device
 * (DetectedIssue.author, Observation.device, Encounter.participant.individual).
 */
import { isNationalIdentitySystem } from '@knutepunkt/fhir';
import type { CodeableConcept, Device, Identifier } from '@knutepunkt/schemas';
import {
  child,
  childObjects,
  codingsOf,
  extensionOf,
  extensionsOf,
  readIdentifier,
  stringAt,
  toCoding,
  type JsonNode,
  type ObjectNode,
} from './fhir-json';
import {
  declaredTypeOf,
  resolveReference,
  type SubmissionContent,
  type SubmittedResource,
} from './submission-content';
import { extensionUrls, unscopedDeviceIdentifierSystem } from './vkp-systems';

export interface FoundDevice {
  readonly device: Device;
  /** The Device entry of the Bundle it came from, when it came from one. */
  readonly entry: SubmittedResource | undefined;
}

/** A CodeableConcept as the schemas record it; null when it has neither codings nor text. */
export function readCodeableConcept(node: JsonNode | undefined): CodeableConcept | null {
  if (node === undefined) {
    return null;
  }
  const codings = codingsOf(node).map((coding) => toCoding(coding));
  const text = stringAt(node, 'text') ?? null;
  return codings.length === 0 && text === null ? null : { codings, text };
}

/**
 * The device of an event built from `resources` (the anchor first): the first device any of
 * them names, else the Bundle's only Device entry.
 */
export function findDevice(
  content: SubmissionContent,
  resources: readonly SubmittedResource[],
): FoundDevice | null {
  for (const resource of resources) {
    const found = deviceOf(content, resource);
    if (found !== null) {
      return found;
    }
  }
  const devices = content.resources.filter((resource) => resource.resourceType === 'Device');
  const [onlyDevice] = devices;
  return devices.length === 1 && onlyDevice !== undefined
    ? { device: deviceFromResource(onlyDevice.node), entry: onlyDevice }
    : null;
}

function deviceOf(content: SubmissionContent, resource: SubmittedResource): FoundDevice | null {
  const node = resource.node;
  switch (resource.resourceType) {
    case 'MedicationDispense':
      return medicationDispenseDevice(node);
    case 'DetectedIssue':
    case 'Flag':
      return (
        deviceOfReference(content, resource, child(node, 'author'), false) ??
        deviceOfExtensions(content, resource, node)
      );
    case 'Observation':
      return (
        deviceOfReference(content, resource, child(node, 'device'), true) ??
        deviceOfReference(content, resource, child(node, 'subject'), false) ??
        deviceOfExtensions(content, resource, node)
      );
    case 'Encounter':
      return encounterDevice(content, resource);
    case 'QuestionnaireResponse':
    case 'Composition':
      return deviceOfReference(content, resource, child(node, 'author'), false);
    default:
      return null;
  }
}

/** `performer.actor` is VKP's logical reference to the dispenser (IMEI or serial number). */
function medicationDispenseDevice(node: ObjectNode): FoundDevice | null {
  const fromExtension = deviceFromVkpExtension(
    extensionOf(node, extensionUrls.medicationDispenseDevice),
  );
  const actor = childObjects(node, 'performer')
    .map((performer) => child(performer, 'actor'))
    .filter((candidate) => candidate !== undefined)
    .find((candidate) => {
      const identifier = readIdentifier(child(candidate, 'identifier'));
      const type = declaredTypeOf(candidate);
      // The performer may also name the practitioner who handled the dispenser.
      return (
        identifier !== undefined &&
        (type === 'Device' || (type === undefined && !isPersonSystem(identifier.system)))
      );
    });
  const identifier = actor === undefined ? undefined : readIdentifier(child(actor, 'identifier'));
  if (identifier === undefined) {
    return fromExtension === null ? null : { device: fromExtension, entry: undefined };
  }
  const displayType = actor === undefined ? undefined : stringAt(actor, 'display');
  return {
    device: {
      id: null,
      identifier,
      type:
        fromExtension?.type ??
        (displayType === undefined ? null : { codings: [], text: displayType }),
      vendor: null,
      model: fromExtension?.model ?? null,
    },
    entry: undefined,
  };
}

function encounterDevice(
  content: SubmissionContent,
  resource: SubmittedResource,
): FoundDevice | null {
  const fromExtension = deviceFromVkpExtension(
    extensionOf(resource.node, extensionUrls.encounterDevice),
  );
  if (fromExtension !== null) {
    return { device: fromExtension, entry: undefined };
  }
  for (const participant of childObjects(resource.node, 'participant')) {
    const found =
      deviceOfReference(content, resource, child(participant, 'individual'), false) ??
      deviceOfExtensions(content, resource, participant);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

/** A vkp-deviceReference-v090 extension on `node`. */
function deviceOfExtensions(
  content: SubmissionContent,
  holder: SubmittedResource,
  node: JsonNode,
): FoundDevice | null {
  for (const extension of extensionsOf(node, extensionUrls.deviceReference)) {
    const found = deviceOfReference(content, holder, child(extension, 'valueReference'), true);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

/**
 * The device a Reference names: a Device entry or contained Device, or a logical reference
 * (identifier) when the element can only be a device (`surelyDevice`) or says `type: Device`.
 */
function deviceOfReference(
  content: SubmissionContent,
  holder: SubmittedResource,
  reference: JsonNode | undefined,
  surelyDevice: boolean,
): FoundDevice | null {
  if (reference === undefined) {
    return null;
  }
  const target = stringAt(reference, 'reference');
  const resolved = target === undefined ? undefined : resolveReference(content, holder, target);
  if (resolved?.kind === 'resource') {
    return resolved.resource.resourceType === 'Device'
      ? { device: deviceFromResource(resolved.resource.node), entry: resolved.resource }
      : null;
  }
  if (resolved?.kind === 'contained') {
    return resolved.resourceType === 'Device'
      ? { device: deviceFromResource(resolved.node), entry: undefined }
      : null;
  }
  const identifier = readIdentifier(child(reference, 'identifier'));
  if (identifier === undefined || !(surelyDevice || declaredTypeOf(reference) === 'Device')) {
    return null;
  }
  const display = stringAt(reference, 'display');
  return {
    device: {
      id: null,
      identifier,
      type: display === undefined ? null : { codings: [], text: display },
      vendor: null,
      model: null,
    },
    entry: undefined,
  };
}

/** A FHIR Device resource as the schemas' Device. */
export function deviceFromResource(node: JsonNode): Device {
  const identifiers = childObjects(node, 'identifier')
    .map((identifier) => readIdentifier(identifier))
    .filter((identifier) => identifier !== undefined);
  const serialNumber = stringAt(node, 'serialNumber');
  const modelName = childObjects(node, 'deviceName').find(
    (name) => stringAt(name, 'type') === 'model-name',
  );
  return {
    id: stringAt(node, 'id') ?? null,
    identifier: identifiers[0] ?? (serialNumber === undefined ? null : unscoped(serialNumber)),
    type: readCodeableConcept(child(node, 'type')),
    vendor: stringAt(node, 'manufacturer') ?? null,
    model:
      stringAt(node, 'modelNumber') ??
      (modelName === undefined ? null : (stringAt(modelName, 'name') ?? null)),
  };
}

/**
 * VkpMedicationDispenseDevice-v090 / vkp-encounterDevice-v090: sub-extensions `identifier`
 * (string, 1..1), `displayName` (1..1), `type` (1..1, any type: vendors send a string or a
 * Coding), `typeName` (the model) and `location`.
 */
function deviceFromVkpExtension(extension: ObjectNode | undefined): Device | null {
  if (extension === undefined) {
    return null;
  }
  const part = (name: string) => extensionOf(extension, name);
  const identifierPart = part('identifier');
  const identifierValue =
    identifierPart === undefined ? undefined : stringAt(identifierPart, 'valueString');
  const typePart = part('type');
  const typeText = typePart === undefined ? undefined : stringAt(typePart, 'valueString');
  const typeConcept =
    typePart === undefined
      ? null
      : (readCodeableConcept(child(typePart, 'valueCodeableConcept')) ??
        codingAsConcept(child(typePart, 'valueCoding')));
  const typeNamePart = part('typeName');
  const displayNamePart = part('displayName');
  const model =
    (typeNamePart === undefined ? undefined : stringAt(typeNamePart, 'valueString')) ?? null;
  const displayName =
    displayNamePart === undefined ? undefined : stringAt(displayNamePart, 'valueString');
  const type =
    typeConcept ??
    (typeText === undefined
      ? displayName === undefined
        ? null
        : { codings: [], text: displayName }
      : { codings: [], text: typeText });
  if (identifierValue === undefined && type === null && model === null) {
    return null;
  }
  return {
    id: null,
    identifier: identifierValue === undefined ? null : unscoped(identifierValue),
    type,
    vendor: null,
    model,
  };
}

function codingAsConcept(node: JsonNode | undefined): CodeableConcept | null {
  if (node === undefined) {
    return null;
  }
  const system = stringAt(node, 'system');
  const code = stringAt(node, 'code');
  const display = stringAt(node, 'display') ?? null;
  if (system !== undefined && code !== undefined) {
    return { codings: [{ system, code, display }], text: null };
  }
  return display === null ? null : { codings: [], text: display };
}

function unscoped(value: string): Identifier {
  return { system: unscopedDeviceIdentifierSystem, value: value.trim() };
}

/** HPR number (health personnel register) and the national identity systems name people. */
function isPersonSystem(system: string): boolean {
  return isNationalIdentitySystem(system) || system === 'urn:oid:2.16.578.1.12.4.1.4.4';
}
