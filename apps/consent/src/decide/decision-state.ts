import type { Logger } from '@knutepunkt/observability';
import type { ConsentState } from '@knutepunkt/schemas';
import { ConsentStateView, type FallbackPolicySource } from '../domain';

/**
 * The state every decision reads, in memory (issue 5: no database round trip per event): the
 * domain's ConsentStateView, fed from `knutepunkt.consent.changes.v1` and — so an API change
 * takes effect for the very next event — by this replica's own publications as soon as Kafka
 * has acknowledged them. Versions make the two feeds agree: the later copy of a record is
 * ignored.
 */
export class DecisionState {
  readonly view: ConsentStateView;
  private caughtUp = false;
  private readonly registrationListeners: ((state: ConsentState) => void)[] = [];

  constructor(
    fallbackPolicy: FallbackPolicySource,
    private readonly logger: Logger,
  ) {
    this.view = new ConsentStateView(fallbackPolicy);
  }

  /** From now on, registrations read from the topic are announced (not the initial replay). */
  markCaughtUp(): void {
    this.caughtUp = true;
  }

  /** Called for a registration that another replica recorded (release its held events). */
  onRegistrationFromTopic(listener: (state: ConsentState) => void): void {
    this.registrationListeners.push(listener);
  }

  /** A record read from the topic. */
  applyFromTopic(key: string, value: ConsentState | null): void {
    const applied = this.apply(key, value);
    if (applied && this.caughtUp && value?.registration != null) {
      for (const listener of this.registrationListeners) listener(value);
    }
  }

  /** A record this replica has just published; true when it changed the view. */
  apply(key: string, value: ConsentState | null): boolean {
    const result = this.view.apply(key, value);
    if (!result.ok) {
      this.logger.warn(
        { code: result.code, reason: result.message },
        'consent state record refused',
      );
      return false;
    }
    return result.applied;
  }
}
