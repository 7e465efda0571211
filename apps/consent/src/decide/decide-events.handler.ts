import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedBatch } from '@knutepunkt/kafka/nest';
import { Topics, type WelfareEvent } from '@knutepunkt/schemas';
import { EventDecider } from './event-decider';

/**
 * `normalized` and its urgent twin → a consent decision per event (DESIGN.md "Consent API").
 * The transport consumes the urgent twin in a consumer group of its own, ahead of the routine
 * lane; both lanes decide the same way and publish to the matching `consented` lane.
 */
@Controller()
export class DecideEventsHandler {
  constructor(@Inject(EventDecider) private readonly decider: EventDecider) {}

  @EventPattern(Topics.normalized.name)
  routine(@Payload() batch: ConsumedBatch<WelfareEvent>): Promise<void> {
    return this.decide(batch);
  }

  @EventPattern(Topics.normalizedUrgent.name)
  urgent(@Payload() batch: ConsumedBatch<WelfareEvent>): Promise<void> {
    return this.decide(batch);
  }

  private decide(batch: ConsumedBatch<WelfareEvent>): Promise<void> {
    return this.decider.decideBatch(
      batch.map((message) => ({ event: message.payload, headers: message.headers })),
    );
  }
}
