import type { AuthorizationRegister } from '@knutepunkt/auth';
import { checkOrganisationNumber } from '@knutepunkt/fhir';
import { type EpjResult, epjFail } from '../domain';

/**
 * Whether this EPJ client may read (and acknowledge) this municipality's entries. An unknown
 * municipality answers as one the client may not read, so nobody learns which are connected.
 */
export function epjAccess(
  register: AuthorizationRegister,
  clientId: string,
  orgnr: string,
): EpjResult<null> {
  if (!checkOrganisationNumber(orgnr).ok)
    return epjFail('EPJ.UNKNOWN_ORGNR', 'The organisation number in the path is not valid.');
  const verdict = register.mayRead(clientId, orgnr);
  if (!verdict.ok)
    return epjFail(
      'EPJ.NOT_ALLOWED',
      `Client ${clientId} may not read the journal entries of municipality ${orgnr} (${verdict.code}).`,
    );
  return { ok: true, value: null };
}
