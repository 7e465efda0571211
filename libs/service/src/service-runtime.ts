import type { DataSource } from 'typeorm';
import type { Logger, ServiceMetrics } from '@knutepunkt/observability';
import type { MessageProducer } from '@knutepunkt/kafka';
import type { Serde, TopicSpec, ValueSchemaName, ValueTypes } from '@knutepunkt/schemas';
import type { ServiceEnv } from './service-env';
import type { AppName } from '@knutepunkt/schemas';

export type { AppName } from '@knutepunkt/schemas';

/** What one running service holds, built once in bootstrap and injected as SERVICE_RUNTIME. */
export interface ServiceRuntime {
  readonly app: AppName;
  readonly env: ServiceEnv;
  /** The environment the service was started with, for an app's own settings (`loadConfig(its schema, envSource)`). */
  readonly envSource: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly producer: MessageProducer;
  readonly dataSource: DataSource | undefined;
  /** Registered for every topic the app declared; `register` a new EPJ topic before writing. */
  readonly serde: Serde;
  /**
   * Reads a compacted topic into memory (libs/kafka TableView): `apply` gets every key's
   * records in order, null for a tombstone; resolves once caught up with the topic. Closed
   * with the service.
   */
  openTableView<N extends ValueSchemaName>(
    topic: TopicSpec<N>,
    apply: (key: string, value: ValueTypes[N] | null) => void,
  ): Promise<void>;
  /**
   * Creates topics the catalog describes but the app did not declare at boot (a new
   * municipality's EPJ topic) and registers their value schemas; a no-op for existing ones.
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Stops the table views (the shutdown hook calls it). */
  closeTableViews(): Promise<void>;
}
