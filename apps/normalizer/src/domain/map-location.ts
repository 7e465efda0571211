/**
 * A GPS position → Location. VKP carries positions in a Location resource (vkp-Location-v090,
 * retired from the repository but still what GPS vendors send, in a message Bundle whose
 * MessageHeader event is `LocationMeasurement`): `position` in WGS 84, the
 * vkp-additionalpositiondata extension with the device's timestamp and horizontal accuracy, and
 * the vkp-sone-v090 extension with the zone (`Kommune|Bydel|Sone|Subsone`). Location names no
 * patient: the event takes the Bundle's Patient (patient.ts).
 */
import type { PlannedEvent } from './event-plan';
import {
  child,
  extensionOf,
  optionalNumber,
  parseDateTime,
  stringAt,
  type JsonNode,
} from './fhir-json';
import type { MappedEvent } from './mapped-event';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import { extensionUrls } from './vkp-systems';

export function mapLocation(planned: PlannedEvent): NormalizeResult<MappedEvent> {
  const node = planned.anchor.node;
  const position = child(node, 'position');
  if (position === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.position is required for a GPS position.`,
      `${node.path}.position`,
    );
  }
  const latitude = coordinate(position, 'latitude', 90);
  if (!latitude.ok) {
    return latitude;
  }
  const longitude = coordinate(position, 'longitude', 180);
  if (!longitude.ok) {
    return longitude;
  }
  const positionData = extensionOf(node, extensionUrls.additionalPositionData);
  const accuracy =
    positionData === undefined ? succeed(undefined) : horizontalAccuracy(positionData);
  if (!accuracy.ok) {
    return accuracy;
  }
  const timestampPart =
    positionData === undefined ? undefined : extensionOf(positionData, 'timestamp');
  const timestampNode =
    timestampPart === undefined ? undefined : child(timestampPart, 'valueDateTime');
  const occurredAt =
    timestampNode === undefined ? succeed(undefined) : parseDateTime(timestampNode);
  if (!occurredAt.ok) {
    return occurredAt;
  }
  const sone = extensionOf(node, extensionUrls.sone);
  return succeed({
    body: {
      kind: 'Location',
      value: {
        latitude: latitude.value,
        longitude: longitude.value,
        accuracyMeters: accuracy.value ?? null,
        zone: (sone === undefined ? undefined : stringAt(sone, 'valueString')) ?? null,
      },
    },
    occurredAt: occurredAt.value,
    severity: null,
    triage: null,
    classifiers: [],
  });
}

function coordinate(position: JsonNode, name: string, limit: number): NormalizeResult<number> {
  const value = optionalNumber(position, name);
  if (!value.ok) {
    return value;
  }
  if (value.value === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${position.path}.${name} is required.`,
      `${position.path}.${name}`,
    );
  }
  if (Math.abs(value.value) > limit) {
    return failWith(
      'NORMALIZE.INVALID_VALUE',
      `A WGS 84 ${name} lies between −${limit} and ${limit} degrees; ${value.value} does not.`,
      `${position.path}.${name}`,
    );
  }
  return succeed(value.value);
}

/** `horizontalAccuracy` in metres: a valueDecimal by the profile, a valueQuantity from some. */
function horizontalAccuracy(positionData: JsonNode): NormalizeResult<number | undefined> {
  const part = extensionOf(positionData, 'horizontalAccuracy');
  if (part === undefined) {
    return succeed(undefined);
  }
  const quantity = child(part, 'valueQuantity');
  const metres =
    quantity === undefined
      ? optionalNumber(part, 'valueDecimal')
      : optionalNumber(quantity, 'value');
  if (!metres.ok) {
    return metres;
  }
  if (metres.value !== undefined && metres.value < 0) {
    return failWith(
      'NORMALIZE.INVALID_VALUE',
      `A horizontal accuracy is a radius in metres and cannot be negative (${metres.value}).`,
      `${part.path}.valueDecimal`,
    );
  }
  return metres;
}
