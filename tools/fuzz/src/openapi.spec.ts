import { declareMissingPathParameters, type OpenApiDocument } from './openapi';

const typeParameter = {
  name: 'type',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['Observation', 'Bundle'] },
};

const document: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/fhir/{orgnr}/{type}': {
      post: {
        parameters: [{ name: 'orgnr', in: 'path', schema: { type: 'string' } }, typeParameter],
      },
    },
    '/fhir/{orgnr}/{type}/{submissionId}/$status': {
      get: {
        parameters: [
          { name: 'orgnr', in: 'path', schema: { type: 'string' } },
          { name: 'submissionId', in: 'path', schema: { type: 'string' } },
        ],
      },
    },
    '/things/{thing}': { get: {} },
    '/shared/{id}': {
      parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }],
      get: {},
    } as unknown as OpenApiDocument['paths'][string],
  },
};

describe('declareMissingPathParameters', () => {
  const { document: repaired, repaired: gaps } = declareMissingPathParameters(document);

  it('declares a missing path parameter like another operation declares it', () => {
    expect(
      repaired.paths['/fhir/{orgnr}/{type}/{submissionId}/$status']?.['get']?.parameters,
    ).toContainEqual(typeParameter);
  });

  it('declares one nobody declares as a required string', () => {
    expect(repaired.paths['/things/{thing}']?.['get']?.parameters).toEqual([
      { name: 'thing', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('names each repair and leaves complete operations and the input alone', () => {
    expect(gaps).toEqual([
      'GET /fhir/{orgnr}/{type}/{submissionId}/$status: type',
      'GET /things/{thing}: thing',
    ]);
    expect(repaired.paths['/fhir/{orgnr}/{type}']).toEqual(document.paths['/fhir/{orgnr}/{type}']);
    expect(document.paths['/things/{thing}']?.['get']?.parameters).toBeUndefined();
    expect(repaired.paths['/shared/{id}']).toEqual(document.paths['/shared/{id}']);
  });
});
