import 'reflect-metadata';
import type { ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { loadConfig } from '@knutepunkt/config';
import { operationOutcome } from '@knutepunkt/fhir';
import {
  CoalescingProducer,
  createKafka,
  defaultRetryPolicy,
  ensureTopics,
  kafkaReadinessCheck,
  TableView,
  UndecodableMessageError,
  type IncomingMessage,
  type KafkaConnectionOptions,
  type KafkaLogSink,
} from '@knutepunkt/kafka';
import { connectBatchTransport, KafkaBatchTransport } from '@knutepunkt/kafka/nest';
import { createLogger, ServiceMetrics, type ReadinessCheck } from '@knutepunkt/observability';
import {
  createSerde,
  dlqTopic,
  hasValueSchema,
  isRetryableSerdeError,
  registerAll,
  topicConfigEntries,
  type Serde,
  type TopicSpec,
  type ValueSchemaName,
  type ValueTypes,
} from '@knutepunkt/schemas';
import { databaseReadinessCheck, openDatabase, type DatabaseDefinition } from './database';
import { assignRequestId } from './request-id';
import { serviceEnv, type ServiceEnv } from './service-env';
import { ServiceModule } from './service.module';
import type { AppName, ServiceRuntime } from './service-runtime';

export interface ServiceDefinition {
  readonly app: AppName;
  readonly defaultPort: number;
  readonly module: Type<unknown>;
  /** Topics with an `@EventPattern` handler in the app; consumed in batches. */
  readonly consumes?: readonly TopicSpec[];
  /** Topics the app writes; created from the catalog and their schemas registered at boot. */
  readonly produces?: readonly TopicSpec[];
  readonly database?: DatabaseDefinition;
  /** Serve the app's HTTP API as OpenAPI at `/docs` (Swagger UI) and `/docs/json`. */
  readonly openApi?: { readonly title: string; readonly description: string };
}

export interface RunningService {
  readonly app: NestFastifyApplication;
  readonly runtime: ServiceRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Everything an app's main.ts does: validated config, logger, metrics, the catalog's topics
 * and schemas, the producer, the database with its migrations, the Kafka batch transport for
 * the topics it consumes, HTTP on Fastify, and an orderly shutdown on SIGTERM.
 */
export async function runService(
  definition: ServiceDefinition,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunningService> {
  const config = loadConfig(serviceEnv, env);
  const logger = createLogger(definition.app, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(definition.app);
  const kafkaLog: KafkaLogSink = {
    warn: (fields, message) => {
      logger.warn(fields, message);
    },
    error: (fields, message) => {
      logger.error(fields, message);
    },
    debug: (fields, message) => {
      logger.debug(fields, message);
    },
  };
  const kafka = createKafka(kafkaConnection(config, `knutepunkt-${definition.app}`), kafkaLog);

  const consumes = definition.consumes ?? [];
  const deadLetters = dlqTopic(definition.app);
  const topics = [...consumes, ...(definition.produces ?? []), deadLetters];
  const replicationFactor = config.KAFKA_REPLICATION_FACTOR;
  const createTopics = async (specs: readonly TopicSpec[]) => {
    await ensureTopics(
      kafka,
      uniqueByName(specs).map((t) => ({
        name: t.name,
        partitions: t.partitions,
        configEntries: topicConfigEntries(t, { replicationFactor }),
      })),
      replicationFactor,
    );
  };
  await createTopics(topics);

  const serde = createSerde(schemaRegistryOptions(config));
  await registerAll(serde, uniqueByName(topics));

  const producer = new CoalescingProducer(kafka, metrics);
  await producer.connect();

  const dataSource = definition.database
    ? await openDatabase(definition.database, {
        url: config.DATABASE_URL,
        poolMax: config.DATABASE_POOL_MAX,
        runMigrations: config.DATABASE_MIGRATIONS_RUN,
        applicationName: `knutepunkt-${definition.app}`,
      })
    : undefined;

  const checks: ReadinessCheck[] = [kafkaReadinessCheck(kafka)];
  if (dataSource) checks.push(databaseReadinessCheck(dataSource));

  const views: TableView[] = [];
  const runtime: ServiceRuntime = {
    app: definition.app,
    env: config,
    envSource: env,
    logger,
    metrics,
    producer,
    dataSource,
    serde,
    async ensureTopics(specs) {
      await createTopics(specs);
      await registerAll(serde, specs);
    },
    async openTableView(topic, apply) {
      await createTopics([topic]);
      const view = new TableView(
        kafka,
        {
          topic: topic.name,
          groupPrefix: `${consumerGroupOf(definition.app)}.view`,
          apply: async (message) => {
            if (message.key === null) throw new Error('record without a key');
            const value = message.value && (await decodeRetrying(serde, topic, message.value));
            apply(message.key, value);
          },
        },
        kafkaLog,
      );
      views.push(view);
      await view.start();
    },
    async closeTableViews() {
      await Promise.all(views.map((v) => v.stop()));
    },
  };
  const adapter = new FastifyAdapter({
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: assignRequestId,
    trustProxy: true,
    // Fastify refuses these before any route or hook runs, by default as its own JSON with the
    // whole URL echoed: a bad percent-encoding (400) or a path segment over 100 characters (414).
    frameworkErrors: (
      error: { readonly code: string; readonly statusCode?: number },
      request: { readonly id: string },
      // Typed by hand: the adapter's Fastify types and the root's differ.
      reply: { readonly raw: ServerResponse },
    ) => {
      const body = JSON.stringify(
        operationOutcome([
          {
            severity: 'error',
            code: 'invalid',
            diagnostics:
              error.code === 'FST_ERR_MAX_PARAM_LENGTH'
                ? 'A path segment is longer than 100 characters.'
                : 'The URL is not valid (a bad percent-encoding).',
          },
        ]),
      );
      reply.raw.writeHead(error.statusCode ?? 400, {
        'content-type': 'application/fhir+json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': request.id,
      });
      reply.raw.end(body);
    },
  });
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceModule.forRoot(runtime, checks, definition.module),
    adapter,
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();

  if (consumes.length > 0) {
    const urgent = new Set(consumes.filter((t) => t.lane === 'urgent').map((t) => t.name));
    connectBatchTransport(
      app,
      new KafkaBatchTransport({
        kafka,
        producer,
        metrics,
        log: kafkaLog,
        groupId: consumerGroupOf(definition.app),
        deadLetterTopic: deadLetters.name,
        policy: {
          ...defaultRetryPolicy,
          maxAttempts: config.KAFKA_MAX_ATTEMPTS,
          initialBackoffMs: config.KAFKA_RETRY_BACKOFF_MS,
        },
        isUrgent: (topic) => urgent.has(topic),
        decode: decoderFor(serde, consumes),
      }),
    );
    await app.startAllMicroservices();
  }

  if (definition.openApi) publishOpenApi(app, definition.openApi);

  const port = config.PORT ?? definition.defaultPort;
  await app.listen({ port, host: config.HTTP_HOST });
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${config.HTTP_HOST}:${boundPort}`;
  logger.info({ url, consumes: consumes.map((t) => t.name) }, `${definition.app} listening`);
  return { app, runtime, url, close: () => app.close() };
}

/**
 * The API description generated from the controllers' decorators (@nestjs/swagger), with the
 * bearer/DPoP scheme every route uses.
 */
function publishOpenApi(
  app: NestFastifyApplication,
  info: NonNullable<ServiceDefinition['openApi']>,
): void {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An OAuth2 access token (HelseID style). DPoP-bound tokens go as `Authorization: DPoP <token>` with a `DPoP` proof header (RFC 9449).',
      },
      'token',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}

/** The consumer group of an app's routine lane (the urgent lane adds `.urgent`). */
export function consumerGroupOf(app: AppName): string {
  return `knutepunkt-${app}`;
}

/** The Kafka connection the settings describe; also used by the deployment tools. */
export function kafkaConnection(
  config: ServiceEnv,
  defaultClientId: string,
): KafkaConnectionOptions {
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? defaultClientId,
    ssl: config.KAFKA_SSL,
    ...(config.KAFKA_SASL_MECHANISM && {
      sasl: {
        mechanism: config.KAFKA_SASL_MECHANISM,
        username: config.KAFKA_SASL_USERNAME ?? '',
        password: config.KAFKA_SASL_PASSWORD ?? '',
      },
    }),
  };
}

/** The schema registry the settings describe. */
export function schemaRegistryOptions(config: ServiceEnv) {
  return {
    registryUrl: config.SCHEMA_REGISTRY_URL,
    ...(config.SCHEMA_REGISTRY_USERNAME && {
      auth: {
        username: config.SCHEMA_REGISTRY_USERNAME,
        password: config.SCHEMA_REGISTRY_PASSWORD ?? '',
      },
    }),
  };
}

/**
 * What an app's main.ts calls: with `migrate` as the first argument it applies the app's
 * pending migrations and exits (the Helm hook Job); otherwise it runs the service.
 */
export async function runServiceCommand(
  definition: ServiceDefinition,
  args: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  const [command] = args;
  if (command === undefined) {
    await runService(definition, env);
    return;
  }
  if (command !== 'migrate')
    throw new Error(`unknown command ${command}; usage: main.js [migrate]`);
  if (!definition.database) {
    console.log(`${definition.app} has no database; nothing to migrate`);
    return;
  }
  const config = loadConfig(serviceEnv, env);
  const dataSource = await openDatabase(definition.database, {
    url: config.DATABASE_URL,
    poolMax: 1,
    runMigrations: true,
    applicationName: `knutepunkt-${definition.app}-migrate`,
  });
  await dataSource.destroy();
  console.log(`${definition.app}: migrations of schema ${definition.database.schema} applied`);
}

/**
 * Turns a consumed message into its record. Bytes that are not a valid record of the topic's
 * schema become an UndecodableMessageError (dead-lettered); a registry that does not answer
 * stays a plain error, so the batch is retried instead.
 */
/** Decodes a view's record, waiting out a schema registry that is briefly unreachable. */
async function decodeRetrying<N extends ValueSchemaName>(
  serde: Serde,
  topic: TopicSpec<N>,
  value: Buffer,
): Promise<ValueTypes[N]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await serde.decode(topic, value);
    } catch (error) {
      if (!isRetryableSerdeError(error) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

function decoderFor(serde: Serde, consumes: readonly TopicSpec[]) {
  const byName = new Map(consumes.filter(hasValueSchema).map((t) => [t.name, t]));
  return async (message: IncomingMessage): Promise<unknown> => {
    const topic = byName.get(message.topic);
    if (!topic) throw new UndecodableMessageError(`no value schema for topic ${message.topic}`);
    if (!message.value) throw new UndecodableMessageError('message has no value');
    try {
      return await serde.decode(topic, message.value);
    } catch (error) {
      if (isRetryableSerdeError(error)) throw error;
      throw new UndecodableMessageError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  };
}

function uniqueByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.name, item])).values()];
}
