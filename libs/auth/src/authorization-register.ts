import type {
  Client,
  ClientKind,
  Municipality,
  RegistryRecord,
  WelfareService,
} from '@knutepunkt/schemas';
import type { Principal } from './principal';
import { Scopes } from './scopes';

/** The keys of `knutepunkt.registry.v1` (DESIGN.md "Topics"). */
export const registryKeys = {
  municipality: (orgnr: string) => `municipality:${orgnr}`,
  client: (clientId: string) => `client:${clientId}`,
} as const;

export type RegistryEntry =
  | { readonly kind: 'municipality'; readonly municipality: Municipality }
  | { readonly kind: 'client'; readonly client: Client };

/** The branch of a registry record's union (avsc wraps it in the branch's full name). */
export function registryEntryOf(record: RegistryRecord): RegistryEntry {
  const entry = record.entry;
  if ('no.knutepunkt.v1.Municipality' in entry)
    return { kind: 'municipality', municipality: entry['no.knutepunkt.v1.Municipality'] };
  return { kind: 'client', client: entry['no.knutepunkt.v1.Client'] };
}

/** A registry record as avsc writes it. */
export function registryRecordOf(
  entry: RegistryEntry,
  changedAt: Date,
  changedBy: string | null,
): RegistryRecord {
  return {
    entry:
      entry.kind === 'municipality'
        ? { 'no.knutepunkt.v1.Municipality': entry.municipality }
        : { 'no.knutepunkt.v1.Client': entry.client },
    changedAt: changedAt.getTime(),
    changedBy,
  };
}

export type AccessRefusal =
  | 'REGISTER.UNKNOWN_CLIENT'
  | 'REGISTER.WRONG_CLIENT_KIND'
  | 'REGISTER.UNKNOWN_MUNICIPALITY'
  | 'REGISTER.MUNICIPALITY_NOT_ALLOWED'
  | 'REGISTER.SERVICE_NOT_ALLOWED';

export type AccessVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: AccessRefusal; readonly message: string };

const allowed: AccessVerdict = { ok: true };

/**
 * The authorization register (DESIGN.md "Security"): which client may write for which
 * municipality and service, which EPJ client may read which municipality. Built from the
 * compacted `knutepunkt.registry.v1`, so every service knows it without reading ingest's
 * tables. Pure: the service feeds it records and asks it questions.
 */
export class AuthorizationRegister {
  private readonly municipalityByOrgnr = new Map<string, Municipality>();
  private readonly clientById = new Map<string, Client>();

  /** Applies one record of the topic; a tombstone (null) removes the key's entry. */
  apply(key: string, record: RegistryRecord | null): void {
    if (record === null) {
      const [kind, id] = splitKey(key);
      if (kind === 'municipality') this.municipalityByOrgnr.delete(id);
      else if (kind === 'client') this.clientById.delete(id);
      return;
    }
    const entry = registryEntryOf(record);
    if (entry.kind === 'municipality')
      this.municipalityByOrgnr.set(entry.municipality.orgnr, entry.municipality);
    else this.clientById.set(entry.client.clientId, entry.client);
  }

  municipality(orgnr: string): Municipality | undefined {
    return this.municipalityByOrgnr.get(orgnr);
  }

  client(clientId: string): Client | undefined {
    return this.clientById.get(clientId);
  }

  /** Every municipality, by organisation number. */
  municipalities(): Municipality[] {
    return [...this.municipalityByOrgnr.values()].sort((a, b) => a.orgnr.localeCompare(b.orgnr));
  }

  /** Every client, by id. */
  clients(): Client[] {
    return [...this.clientById.values()].sort((a, b) => a.clientId.localeCompare(b.clientId));
  }

  /** May this vendor client submit events for this municipality (and service, when known)? */
  mayWrite(clientId: string, orgnr: string, service?: WelfareService): AccessVerdict {
    const checked = this.clientFor(clientId, 'vendor', orgnr);
    if (!checked.ok) return checked;
    if (service !== undefined && !checked.client.services.includes(service))
      return refuse(
        'REGISTER.SERVICE_NOT_ALLOWED',
        `Client ${clientId} is not registered for service ${service}.`,
      );
    return allowed;
  }

  /** May this EPJ client read (and acknowledge) this municipality's journal entries? */
  mayRead(clientId: string, orgnr: string): AccessVerdict {
    const checked = this.clientFor(clientId, 'epj', orgnr);
    return checked.ok ? allowed : checked;
  }

  /**
   * May this caller act for this municipality at all (consent and audit APIs): an admin
   * may act for every municipality, any other client for the ones the register lists for it.
   */
  mayActFor(principal: Principal, orgnr: string): AccessVerdict {
    if (principal.scopes.has(Scopes.Admin)) return allowed;
    const client = this.clientById.get(principal.clientId);
    if (!client)
      return refuse(
        'REGISTER.UNKNOWN_CLIENT',
        `Client ${principal.clientId} is not in the authorization register.`,
      );
    return client.municipalities.includes(orgnr)
      ? allowed
      : refuse(
          'REGISTER.MUNICIPALITY_NOT_ALLOWED',
          `Client ${principal.clientId} may not act for municipality ${orgnr}.`,
        );
  }

  private clientFor(
    clientId: string,
    kind: ClientKind,
    orgnr: string,
  ): { ok: true; client: Client } | Extract<AccessVerdict, { ok: false }> {
    // An unknown municipality first: the APIs answer it as 404 whoever asks.
    if (!this.municipalityByOrgnr.has(orgnr))
      return refuse('REGISTER.UNKNOWN_MUNICIPALITY', `Municipality ${orgnr} is not connected.`);
    const client = this.clientById.get(clientId);
    if (!client)
      return refuse(
        'REGISTER.UNKNOWN_CLIENT',
        `Client ${clientId} is not in the authorization register.`,
      );
    if (client.kind !== kind)
      return refuse(
        'REGISTER.WRONG_CLIENT_KIND',
        `Client ${clientId} is registered as ${client.kind}, not ${kind}.`,
      );
    if (!client.municipalities.includes(orgnr))
      return refuse(
        'REGISTER.MUNICIPALITY_NOT_ALLOWED',
        `Client ${clientId} is not registered for municipality ${orgnr}.`,
      );
    return { ok: true, client };
  }
}

function refuse(code: AccessRefusal, message: string): Extract<AccessVerdict, { ok: false }> {
  return { ok: false, code, message };
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(':');
  return colon < 0 ? [key, ''] : [key.slice(0, colon), key.slice(colon + 1)];
}
