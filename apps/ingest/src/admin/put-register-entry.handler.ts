import {
  registryKeys,
  registryRecordOf,
  type AuthorizationRegister,
  type RegistryEntry,
} from '@knutepunkt/auth';
import type { AuditActor, Client, Municipality, RegistryRecord } from '@knutepunkt/schemas';
import { parseClient, parseMunicipality, type AdminError } from '../domain/admin-input';
import { err, ok, type Result } from '../domain/result';
import type { RegisterStore } from '../persistence/register-store';

export interface PutRegisterEntryCommand {
  readonly id: string;
  readonly body: string;
  readonly actor: AuditActor;
  readonly requestId: string;
}

export interface RegisterEntryPorts {
  readonly store: RegisterStore;
  /** The in-memory register this instance judges requests by; updated before answering. */
  readonly register: AuthorizationRegister;
  /** Creates a municipality's EPJ topic (and registers its schema); idempotent. */
  ensureEpjTopic(orgnr: string): Promise<void>;
  /**
   * Publishes the registry record and its AuditRecord together; resolves once Kafka
   * acknowledged both (acks=all).
   */
  publish(key: string, record: RegistryRecord, actor: AuditActor, requestId: string): Promise<void>;
  readonly now?: () => Date;
}

export type PutOutcome<T> = { readonly created: boolean; readonly value: T };

/**
 * Onboarding (DESIGN.md "Admin API"): a municipality or a client goes into ingest's table and
 * onto `knutepunkt.registry.v1` in one step, so every service learns it; a municipality gets
 * its EPJ topic first, so nothing is ever journaled for a municipality whose topic is missing.
 */
export class PutRegisterEntryHandler {
  constructor(private readonly ports: RegisterEntryPorts) {}

  async municipality(
    command: PutRegisterEntryCommand,
  ): Promise<Result<PutOutcome<Municipality>, AdminError>> {
    const parsed = parseMunicipality(command.id, command.body);
    if (!parsed.ok) return parsed;
    try {
      await this.ports.ensureEpjTopic(parsed.value.orgnr);
    } catch {
      return err(kafkaUnavailable);
    }
    return this.put({ kind: 'municipality', municipality: parsed.value }, command, parsed.value);
  }

  async client(command: PutRegisterEntryCommand): Promise<Result<PutOutcome<Client>, AdminError>> {
    const parsed = parseClient(
      command.id,
      command.body,
      (orgnr) => this.ports.register.municipality(orgnr) !== undefined,
    );
    if (!parsed.ok) return parsed;
    return this.put({ kind: 'client', client: parsed.value }, command, parsed.value);
  }

  private async put<T>(
    entry: RegistryEntry,
    command: PutRegisterEntryCommand,
    value: T,
  ): Promise<Result<PutOutcome<T>, AdminError>> {
    const record = registryRecordOf(
      entry,
      (this.ports.now ?? (() => new Date()))(),
      command.actor.clientId,
    );
    const key =
      entry.kind === 'municipality'
        ? registryKeys.municipality(entry.municipality.orgnr)
        : registryKeys.client(entry.client.clientId);
    const progress = { published: false };
    try {
      const { created } = await this.ports.store.put(entry, record, async () => {
        await this.ports.publish(key, record, command.actor, command.requestId);
        progress.published = true;
      });
      this.ports.register.apply(key, record);
      return ok({ created, value });
    } catch (error) {
      if (!progress.published) return err(kafkaUnavailable);
      throw error;
    }
  }
}

const kafkaUnavailable: AdminError = {
  code: 'ADMIN.KAFKA_UNAVAILABLE',
  message: 'The change could not be published just now; nothing was kept. Retry the same PUT.',
};
