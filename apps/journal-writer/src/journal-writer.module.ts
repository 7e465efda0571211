import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import { loadConfig } from '@knutepunkt/config';
import {
  databaseOf,
  AUTHORIZATION_REGISTER,
  authorizationRegisterProvider,
  httpApiProviders,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  type ServiceRuntime,
} from '@knutepunkt/service';
import type { PatientKeyOf } from './domain';
import { AcknowledgeEntryHandler } from './epj/acknowledge-entry.handler';
import { EpjHttpController } from './epj/epj.http.controller';
import { EpjHttpSetup } from './epj/epj-http.setup';
import { JftReadHttpController } from './epj/jft-read.http.controller';
import { SearchEntriesHandler } from './epj/search-entries.handler';
import { JournalMetrics, OldestEntriesCache } from './journal-metrics';
import { journalWriterEnv } from './journal-writer.config';
import { OutboxRelay } from './outbox/outbox-relay';
import { PostgresJournalStore, type JournalStore } from './persistence/journal-store';
import { JOURNAL_STORE, PATIENT_KEY_OF } from './tokens';
import { EpjTopics } from './write/epj-topics';
import { WriteJournalEntriesHandler } from './write/write-journal-entries.handler';

/** Starts the relay's sweep with the app and stops it before the producer disconnects. */
class RelayLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  onModuleInit(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

/** Refreshes the oldest-entry gauges' cache with the app, and stops before the database closes. */
class OldestEntriesLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(OldestEntriesCache) private readonly cache: OldestEntriesCache) {}

  onModuleInit(): void {
    this.cache.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.stop();
  }
}

/** journal-writer: journal entries per municipality, published on its EPJ topic and served by the EPJ read API. */
@Module({
  controllers: [WriteJournalEntriesHandler, EpjHttpController, JftReadHttpController],
  providers: [
    EpjHttpSetup,
    ...httpApiProviders,
    authorizationRegisterProvider,
    RelayLifecycle,
    OldestEntriesLifecycle,
    {
      provide: JOURNAL_STORE,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): JournalStore =>
        new PostgresJournalStore(databaseOf(runtime)),
    },
    {
      provide: PATIENT_KEY_OF,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): PatientKeyOf => {
        const derive = patientKeyDeriver(runtime);
        return (orgnr, identifier) => derive({ orgnr, identifier });
      },
    },
    {
      provide: OutboxRelay,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): OutboxRelay => {
        const config = loadConfig(journalWriterEnv, runtime.envSource);
        return new OutboxRelay(databaseOf(runtime), runtime.producer, runtime.logger, {
          batchSize: config.JOURNAL_OUTBOX_BATCH_SIZE,
          sweepIntervalMs: config.JOURNAL_OUTBOX_SWEEP_INTERVAL_MS,
        });
      },
    },
    {
      provide: EpjTopics,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime) => new EpjTopics(runtime),
    },
    {
      provide: OldestEntriesCache,
      inject: [SERVICE_RUNTIME, JOURNAL_STORE],
      useFactory: (runtime: ServiceRuntime, store: JournalStore) =>
        new OldestEntriesCache(
          () => store.oldestWaiting(),
          loadConfig(journalWriterEnv, runtime.envSource).JOURNAL_METRICS_REFRESH_INTERVAL_MS,
        ),
    },
    {
      provide: JournalMetrics,
      inject: [SERVICE_RUNTIME, OldestEntriesCache, AUTHORIZATION_REGISTER],
      useFactory: (
        runtime: ServiceRuntime,
        cache: OldestEntriesCache,
        register: AuthorizationRegister,
      ) =>
        new JournalMetrics(
          runtime.metrics,
          () => cache.current(),
          () => register.municipalities().map((m) => m.orgnr),
        ),
    },
    {
      provide: SearchEntriesHandler,
      inject: [
        SERVICE_RUNTIME,
        JOURNAL_STORE,
        AUTHORIZATION_REGISTER,
        PATIENT_KEY_OF,
        OutboxRelay,
        JournalMetrics,
      ],
      useFactory: (
        runtime: ServiceRuntime,
        store: JournalStore,
        register: AuthorizationRegister,
        patientKeyOf: PatientKeyOf,
        relay: OutboxRelay,
        metrics: JournalMetrics,
      ) =>
        new SearchEntriesHandler({
          store,
          register,
          patientKeyOf,
          serde: runtime.serde,
          relay,
          metrics,
          logger: runtime.logger,
        }),
    },
    {
      provide: AcknowledgeEntryHandler,
      inject: [SERVICE_RUNTIME, JOURNAL_STORE, AUTHORIZATION_REGISTER, OutboxRelay, JournalMetrics],
      useFactory: (
        runtime: ServiceRuntime,
        store: JournalStore,
        register: AuthorizationRegister,
        relay: OutboxRelay,
        metrics: JournalMetrics,
      ) =>
        new AcknowledgeEntryHandler({
          store,
          register,
          serde: runtime.serde,
          relay,
          metrics,
          logger: runtime.logger,
        }),
    },
  ],
})
export class JournalWriterModule {}
