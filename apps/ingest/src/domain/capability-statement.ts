import type { CapabilityStatement } from '@medplum/fhirtypes';
import { defaultVkpProfileOf, submissionResourceTypes, vkpProfileRules } from '@knutepunkt/fhir';

/**
 * What the vendor API does, and only that (DESIGN.md "Ingest — vendor API"): each type can be
 * created (`POST /fhir/{orgnr}/{type}`), nothing can be read or searched back, and each
 * submission's lifecycle is at `$status`. The profiles claimed are the VKP profiles submissions
 * are held to (libs/fhir checkVkpRules): `profile` the one a resource that names none gets,
 * `supportedProfile` every VKP profile of the type a resource may name in `meta.profile`.
 */
export function capabilityStatement(date: Date): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: date.toISOString(),
    publisher: 'Knutepunkt',
    kind: 'instance',
    software: { name: 'Knutepunkt ingest' },
    implementation: {
      description:
        'Knutepunkt vendor API: welfare-technology events into the hub, one municipality per path (/fhir/{orgnr}/{type}).',
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Submissions are accepted (202) once durable in Kafka; repeats (Idempotency-Key, Bundle.identifier, identifier or id) answer 200 with the first Location. OpenAPI at /docs.',
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'OAuth',
                },
              ],
            },
          ],
          description:
            'OAuth2 access tokens (HelseID style) with scope knutepunkt:ingest.write, as Bearer or DPoP-bound (RFC 9449).',
        },
        resource: submissionResourceTypes.map((type) => ({
          type,
          ...profilesOf(type),
          interaction: [
            {
              code: 'create',
              documentation: `POST /fhir/{orgnr}/${type}; the answer's Location is the submission's $status.`,
            },
          ],
          operation: [
            {
              name: 'status',
              definition: 'https://knutepunkt.invalid/fhir/OperationDefinition/status',
              documentation: `GET /fhir/{orgnr}/${type}/{submissionId}/$status: the time each lifecycle stage was reached.`,
            },
          ],
        })),
      },
    ],
  };
}

function profilesOf(type: string): { profile?: string; supportedProfile?: string[] } {
  const fallback = defaultVkpProfileOf(type);
  const supported = vkpProfileRules
    .filter((profile) => profile.kind === 'resource' && profile.type === type)
    .map((profile) => profile.url);
  return {
    ...(fallback === undefined ? {} : { profile: fallback.url }),
    ...(supported.length === 0 ? {} : { supportedProfile: supported }),
  };
}
