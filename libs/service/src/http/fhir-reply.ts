import type { FastifyReply } from 'fastify';
import type { HttpAnswer } from '@knutepunkt/fhir';

/** Sends an HttpAnswer (status, headers, OperationOutcome) as `application/fhir+json`. */
export function sendAnswer(reply: FastifyReply, answer: HttpAnswer): FastifyReply {
  return reply
    .status(answer.status)
    .headers(answer.headers)
    .type('application/fhir+json')
    .send(answer.body);
}
