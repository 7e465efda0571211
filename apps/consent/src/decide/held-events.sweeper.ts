import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Periodic, SERVICE_RUNTIME, type ServiceRuntime } from '@knutepunkt/service';
import { ConsentChangesPublisher } from '../changes/consent-changes.publisher';
import { consentConfig, type ConsentConfig } from '../consent-config';
import { DecisionState } from './decision-state';
import { EventDecider } from './event-decider';

/**
 * The periodic work of the consent service: fails (or releases) held events whose hold ran
 * out, publishes outbox rows a request left behind, and forgets old decided event ids. At
 * start it decides every held event once, for registrations that arrived while it was down.
 */
/**
 * Outbox rows younger than this are left to the request that wrote them (it publishes them
 * and applies them to its view before answering); older ones it did not get to.
 */
const relayAfterMs = 10_000;

@Injectable()
export class HeldEventsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly config: ConsentConfig;
  private readonly periodic: Periodic;

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(EventDecider) private readonly decider: EventDecider,
    @Inject(ConsentChangesPublisher) private readonly publisher: ConsentChangesPublisher,
    @Inject(DecisionState) private readonly state: DecisionState,
  ) {
    this.config = consentConfig(runtime.envSource);
    this.periodic = new Periodic(() => this.run('expired'), this.config.CONSENT_SWEEP_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    this.periodic.start(() => this.run('all'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  private async run(scope: 'all' | 'expired'): Promise<void> {
    try {
      for (const { key, state } of await this.publisher.relay(relayAfterMs)) {
        if (this.state.apply(key, state)) await this.decider.releaseFor(state);
      }
      await this.decider.sweep(scope);
      await this.decider.pruneDecided(this.config.CONSENT_DECIDED_RETENTION_HOURS);
    } catch (error) {
      this.runtime.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'consent sweep failed; trying again at the next interval',
      );
    }
  }
}
