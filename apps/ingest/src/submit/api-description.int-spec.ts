import type { RunningService } from '@knutepunkt/service';
import { startServiceForTest } from '@knutepunkt/service/testing';
import { ingestService } from '../ingest.service';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

describe('ingest describes itself', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startServiceForTest(ingestService);
  });

  afterAll(async () => {
    await service.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${service.url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });

  it('documents every status code DESIGN.md gives the vendor API, and the admin API', async () => {
    const document = (await (await fetch(`${service.url}/docs/json`)).json()) as OpenApiDocument;
    const submit = document.paths['/fhir/{orgnr}/{type}']?.['post'];
    expect(Object.keys(submit?.responses ?? {}).sort()).toEqual(
      ['200', '202', '400', '401', '403', '404', '413', '415', '422', '429', '503'].sort(),
    );
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/fhir/{orgnr}/{type}/{submissionId}/$status',
        '/epj/r4/{orgnr}/bundle',
        '/v1/{type}',
        '/fhir/metadata',
        '/admin/municipalities/{orgnr}',
        '/admin/clients/{clientId}',
        '/admin/municipalities',
        '/admin/clients',
      ]),
    );
  });

  it('answers GET /fhir/metadata with a CapabilityStatement, without a token', async () => {
    const response = await fetch(`${service.url}/fhir/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    const statement = (await response.json()) as { resourceType: string; fhirVersion: string };
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });
});
