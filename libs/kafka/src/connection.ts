import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: boolean;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

/** Where the client's own log lines go; the services pass their pino logger. */
export interface KafkaLogSink {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** The one place a kafkajs `Kafka` is created. */
export function createKafka(options: KafkaConnectionOptions, log?: KafkaLogSink): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    ssl: options.ssl ?? false,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      // kafkajs repeats its own timestamp and logger name; pino has both already.
      const { message, ...rest } = entry.log;
      const fields = Object.fromEntries(
        Object.entries(rest).filter(([key]) => key !== 'timestamp' && key !== 'logger'),
      );
      const line = { namespace: entry.namespace, ...fields };
      if (entry.level <= logLevel.ERROR) log.error(line, `kafka: ${message}`);
      else if (entry.level === logLevel.WARN) log.warn(line, `kafka: ${message}`);
      else log.debug(line, `kafka: ${message}`);
    },
  };
  if (options.sasl) config.sasl = { ...options.sasl } as SASLOptions;
  return new Kafka(config);
}
