import { epjTopic, type TopicSpec } from '@knutepunkt/schemas';
import type { ServiceRuntime } from '@knutepunkt/service';

/**
 * Makes sure a municipality's `knutepunkt.epj.<orgnr>.v1` exists and its value schema is
 * registered before the first entry for it is written. Onboarding (ingest's admin API)
 * creates the topic too; this covers a municipality whose topic is missing all the same, since
 * the producer never auto-creates topics. Once per municipality per process.
 */
export class EpjTopics {
  private readonly ready = new Map<string, Promise<TopicSpec<'JournalEntry'>>>();
  constructor(private readonly runtime: ServiceRuntime) {}

  /** The municipality's EPJ topic, created and registered (once per process). */
  topicFor(orgnr: string): Promise<TopicSpec<'JournalEntry'>> {
    let pending = this.ready.get(orgnr);
    if (!pending) {
      pending = this.create(orgnr);
      this.ready.set(orgnr, pending);
      // A failure is not remembered: the next batch tries again.
      pending.catch(() => this.ready.delete(orgnr));
    }
    return pending;
  }

  private async create(orgnr: string): Promise<TopicSpec<'JournalEntry'>> {
    const topic = epjTopic(orgnr);
    await this.runtime.ensureTopics([topic]);
    return topic;
  }
}
