import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The FHIR OperationOutcome every error answers with (DESIGN.md "HTTP contracts"). */
export const operationOutcomeSchema: SchemaObject = {
  type: 'object',
  description: 'FHIR R4 OperationOutcome',
  required: ['resourceType', 'issue'],
  properties: {
    resourceType: { type: 'string', enum: ['OperationOutcome'] },
    issue: {
      type: 'array',
      items: {
        type: 'object',
        required: ['severity', 'code'],
        properties: {
          severity: { type: 'string', enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string', description: 'FHIR issue type' },
          diagnostics: { type: 'string', description: 'What is wrong and how to fix it' },
          expression: {
            type: 'array',
            items: { type: 'string' },
            description: 'FHIRPath of the offending element',
          },
          details: {
            type: 'object',
            properties: {
              text: {
                type: 'string',
                description: 'Stable error code, e.g. INGEST.MALFORMED_JSON',
              },
              coding: {
                type: 'array',
                description: 'The VKP operation-outcome code (vkp-operation-outcome-v090)',
                items: {
                  type: 'object',
                  properties: {
                    system: { type: 'string' },
                    code: { type: 'string' },
                    display: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Documents a route's answers: the token scheme and, per status, what it means; every
 * non-2xx answer is an OperationOutcome.
 */
export function ApiAnswers(answers: Readonly<Record<number, string>>): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth('token'),
    ...Object.entries(answers).map(([status, description]) =>
      Number(status) >= 300
        ? ApiResponse({
            status: Number(status),
            description,
            content: { 'application/fhir+json': { schema: operationOutcomeSchema } },
          })
        : ApiResponse({ status: Number(status), description }),
    ),
  );
}
