import type { Bundle } from '@medplum/fhirtypes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { informationalOutcome } from '@knutepunkt/fhir';
import { sendAnswer } from '@knutepunkt/service';
import { epjErrorAnswer, type EpjResult } from '../domain';

/** Where the API is served, as the caller reached it: the links of a searchset point there. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** A search's answer, the same on every path of the read API. */
export function replySearch(reply: FastifyReply, result: EpjResult<Bundle>): void {
  if (!result.ok) {
    sendAnswer(reply, epjErrorAnswer(result.error));
    return;
  }
  void reply
    .status(200)
    .header('cache-control', 'no-store')
    .type('application/fhir+json')
    .send(result.value);
}

/** An acknowledgement's answer, the same on every path of the read API. */
export function replyAcknowledged(
  reply: FastifyReply,
  entryId: string,
  result: EpjResult<{ readonly firstAcknowledgement: boolean }>,
): void {
  if (!result.ok) {
    sendAnswer(reply, epjErrorAnswer(result.error));
    return;
  }
  void reply
    .status(202)
    .type('application/fhir+json')
    .send(
      informationalOutcome(
        result.value.firstAcknowledgement
          ? `Journal entry ${entryId} is recorded as journaled.`
          : `Journal entry ${entryId} was already recorded as journaled; nothing changed.`,
      ),
    );
}
