import { randomUUID } from 'node:crypto';
import {
  checkOrganisationNumber,
  subjectKey,
  type Environment,
  type PatientKeyDeriver,
} from '@knutepunkt/fhir';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import { checkIdentityNumbers, checkPatientIdentifierSystems } from '../domain/identity-numbers';
import { RateLimiter } from '../domain/rate-limit';
import type { AcceptedSubmission, Client, RepairWarning } from '@knutepunkt/schemas';
import { dedupeKey } from '../domain/dedupe-key';
import type { IngestError } from '../domain/ingest-error';
import { err, ok, type Result } from '../domain/result';
import { checkStructure, checkVkp, parseSubmission } from '../domain/submission';
import type { RegisteredSubmission, SubmissionStore } from '../persistence/submission-store';

export interface SubmitCommand {
  readonly orgnr: string;
  readonly pathType: string;
  readonly body: string;
  readonly contentType: string;
  readonly clientId: string;
  /** True when the token was DPoP-bound and its proof checked. */
  readonly dpopBound: boolean;
  readonly sourceSystem: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly requestId: string;
  /**
   * The patient a submission names where ingest cannot see it as FHIR (vendor JSON, read by its
   * template): keys the record when the FHIR holds no identifier.
   */
  readonly patientHint?: { readonly system: string; readonly value: string } | undefined;
  /** The device such a submission names, which keys it when it names no patient. */
  readonly deviceHint?: { readonly system: string; readonly value: string } | undefined;
}

export interface Submitted {
  /** `created`: published now (202); `repeat`: the first submission's answer (200). */
  readonly kind: 'created' | 'repeat';
  readonly submission: RegisteredSubmission;
  /** Structural slips repaired in this request, for the answer's warning issues. */
  readonly warnings: readonly RepairWarning[];
}

/**
 * Publishes an accepted submission on `accepted` under `key` (its subject: patient, device, or
 * itself; docs/adr/0015); resolves only once Kafka acknowledged it (acks=all).
 */
export type PublishAccepted = (record: AcceptedSubmission, key: string) => Promise<void>;

/**
 * A vendor's submission, from bytes to a record durable in Kafka: structural checks, the
 * dedupe key, then claim-publish-register (SubmissionStore.registerOnce) so a repeat, however
 * concurrent, is answered with the first submission instead of being published again.
 */
export class SubmitSubmissionHandler {
  constructor(
    private readonly store: SubmissionStore,
    private readonly publish: PublishAccepted,
    /** Which identity numbers are acceptable: synthetic ones only outside production. */
    private readonly environment: Environment,
    /**
     * The patient key (HMAC of orgnr and identifier): the record's Kafka key, so one patient's
     * submissions stay in order on one partition.
     */
    private readonly patientKey: PatientKeyDeriver,
    /** The authorization register: which client may write for which municipality. */
    private readonly register: Pick<AuthorizationRegister, 'mayWrite' | 'client' | 'municipality'>,
    private readonly rateLimiter: RateLimiter = new RateLimiter(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(command: SubmitCommand): Promise<Result<Submitted, IngestError>> {
    const receivedAt = this.now();
    const orgnr = checkOrganisationNumber(command.orgnr);
    if (!orgnr.ok) {
      return err({
        code: 'INGEST.UNKNOWN_ORGNR',
        message: `No municipality with that organisation number: ${orgnr.error.message}`,
      });
    }
    const admitted = this.admit(command, receivedAt);
    if (!admitted.ok) return admitted;
    const parsed = parseSubmission(command.pathType, command.body);
    if (!parsed.ok) return parsed;
    const repairs = checkStructure(parsed.value.resource, admitted.value.strict);
    if (!repairs.ok) return repairs;
    const identities = checkIdentityNumbers(parsed.value.resource, this.environment);
    if (!identities.ok) return identities;
    // The municipality's own EPJ identifier systems, registered at onboarding.
    const municipalSystems = this.register.municipality(command.orgnr)?.identifierSystems ?? [];
    const municipalIdentifiers = checkPatientIdentifierSystems(
      parsed.value.resource,
      municipalSystems,
    );
    if (!municipalIdentifiers.ok) return municipalIdentifiers;
    const rules = checkVkp(parsed.value.resource, municipalSystems);
    if (!rules.ok) return rules;
    const key = dedupeKey(parsed.value, command.idempotencyKey);
    if (!key.ok) return key;
    const firstIdentifier =
      identities.value[0] ?? municipalIdentifiers.value[0] ?? command.patientHint;

    const submissionId = randomUUID();
    const record: AcceptedSubmission = {
      submissionId,
      receivedAt: receivedAt.getTime(),
      clientId: command.clientId,
      sourceSystem: command.sourceSystem ?? null,
      orgnr: command.orgnr,
      resourceType: parsed.value.type,
      contentType: command.contentType,
      fhirJson: command.body,
      contentHash: parsed.value.contentHash,
      idempotencyKey: command.idempotencyKey ?? null,
      requestId: command.requestId,
      // The first national identity number in document order, else the first identifier in
      // one of the municipality's own systems (both as the normalizer keys the patient), else
      // the patient a device template found in vendor JSON. The Kafka key is `subjectKey`'s: a
      // vendor document naming only a device is keyed by the device (docs/adr/0015).
      patientKey: firstIdentifier
        ? this.patientKey({ orgnr: command.orgnr, identifier: firstIdentifier })
        : null,
      warnings: repairs.value.map((r) => ({
        code: r.code,
        message: r.message,
        expression: r.expression,
      })),
    };
    try {
      const outcome = await this.store.registerOnce(
        {
          submissionId,
          clientId: command.clientId,
          dedupeKey: key.value,
          orgnr: command.orgnr,
          resourceType: parsed.value.type,
          receivedAt,
        },
        (submissionId) =>
          this.publish(
            { ...record, submissionId },
            subjectKey(this.patientKey, {
              orgnr: command.orgnr,
              patientKey: record.patientKey,
              device: command.deviceHint,
              ownId: submissionId,
            }),
          ).catch((error: unknown) => {
            throw new PublishFailed({ cause: error });
          }),
      );
      return ok({ ...outcome, warnings: record.warnings });
    } catch (error) {
      if (error instanceof PublishFailed) {
        return err({
          code: 'INGEST.KAFKA_UNAVAILABLE',
          message:
            'The submission could not be stored durably just now; nothing was kept. Retry later.',
        });
      }
      throw error;
    }
  }

  /**
   * The register's say (DESIGN.md "Security"): the client may write for this municipality,
   * with a DPoP-bound token when it is registered to require one, and within its rate. The
   * service is not known before normalization; the normalizer checks it (docs/adr/0011).
   */
  private admit(command: SubmitCommand, now: Date): Result<Client, IngestError> {
    const verdict = this.register.mayWrite(command.clientId, command.orgnr);
    if (!verdict.ok) {
      return err(
        verdict.code === 'REGISTER.UNKNOWN_MUNICIPALITY'
          ? { code: 'INGEST.UNKNOWN_ORGNR', message: verdict.message }
          : { code: 'INGEST.FORBIDDEN', message: verdict.message },
      );
    }
    const client = this.register.client(command.clientId);
    if (!client) return err({ code: 'INGEST.FORBIDDEN', message: 'Unknown client.' });
    if (client.requireDpop && !command.dpopBound)
      return err({
        code: 'INGEST.DPOP_REQUIRED',
        message: 'This client is registered to send DPoP-bound tokens (RFC 9449) only.',
      });
    const rate = this.rateLimiter.take(client.clientId, client.ratePerSecond, now.getTime());
    if (!rate.ok)
      return err({
        code: 'INGEST.RATE_LIMITED',
        message: `Over this client's rate of ${String(client.ratePerSecond)} requests per second.`,
        retryAfterSeconds: rate.retryAfterSeconds,
      });
    return ok(client);
  }
}

/** The publish step failed: the broker did not acknowledge; the submission was not kept. */
export class PublishFailed extends Error {
  constructor(options: { cause: unknown }) {
    super('publishing the accepted submission failed', options);
    this.name = 'PublishFailed';
  }
}
