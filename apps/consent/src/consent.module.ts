import { Module } from '@nestjs/common';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import { Topics, type Identifier } from '@knutepunkt/schemas';
import {
  databaseOf,
  AUTHORIZATION_REGISTER,
  authorizationRegisterProvider,
  httpApiProviders,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { ConsentApiHandler } from './api/consent-api.handler';
import { ConsentApiHttpController } from './api/consent-api.http.controller';
import { JsonBodySetup } from './api/json-body.setup';
import { ConsentChangesPublisher } from './changes/consent-changes.publisher';
import { ConsentMetrics } from './consent-metrics';
import { DecideEventsHandler } from './decide/decide-events.handler';
import { DecisionState } from './decide/decision-state';
import { EventDecider } from './decide/event-decider';
import { HeldEventsSweeper } from './decide/held-events.sweeper';
import { ConsentStore } from './persistence/consent-store';
import { CONSENT_METRICS, CONSENT_STORE, IDENTIFIER_KEY_OF } from './tokens';

type IdentifierKeyOf = (orgnr: string, identifier: Identifier) => string;

/**
 * consent: service-recipient registry, FHIR Consent and municipal policy (the consent API);
 * decides which events may be journaled from the state it keeps in memory.
 */
@Module({
  controllers: [ConsentApiHttpController, DecideEventsHandler],
  providers: [
    JsonBodySetup,
    ...httpApiProviders,
    authorizationRegisterProvider,
    {
      provide: CONSENT_METRICS,
      inject: [SERVICE_RUNTIME, CONSENT_STORE],
      useFactory: (runtime: ServiceRuntime, store: ConsentStore) =>
        new ConsentMetrics(runtime.metrics, () => store.heldByMunicipality()),
    },
    {
      provide: IDENTIFIER_KEY_OF,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): IdentifierKeyOf => {
        const derive = patientKeyDeriver(runtime);
        return (orgnr, identifier) => derive({ orgnr, identifier });
      },
    },
    {
      provide: CONSENT_STORE,
      inject: [SERVICE_RUNTIME, IDENTIFIER_KEY_OF],
      useFactory: (runtime: ServiceRuntime, keyOf: IdentifierKeyOf) =>
        new ConsentStore(databaseOf(runtime), keyOf),
    },
    {
      // Ready only once the view has caught up with the topic: the consumer starts after it.
      provide: DecisionState,
      inject: [SERVICE_RUNTIME, AUTHORIZATION_REGISTER, CONSENT_METRICS],
      useFactory: async (
        runtime: ServiceRuntime,
        register: AuthorizationRegister,
        metrics: ConsentMetrics,
      ) => {
        const state = new DecisionState(
          (orgnr) => register.municipality(orgnr)?.policy,
          runtime.logger,
        );
        await runtime.openTableView(Topics.consentChanges, (key, value) => {
          state.applyFromTopic(key, value);
        });
        state.markCaughtUp();
        metrics.countStatesOf(() => state.view.patientCount);
        return state;
      },
    },
    {
      provide: ConsentChangesPublisher,
      inject: [SERVICE_RUNTIME, CONSENT_STORE, CONSENT_METRICS],
      useFactory: (runtime: ServiceRuntime, store: ConsentStore, metrics: ConsentMetrics) =>
        new ConsentChangesPublisher(
          databaseOf(runtime),
          store,
          runtime.producer,
          runtime.serde,
          (kind, count) => {
            metrics.changesPublished.inc({ kind }, count);
          },
        ),
    },
    {
      provide: EventDecider,
      inject: [SERVICE_RUNTIME, DecisionState, CONSENT_METRICS, IDENTIFIER_KEY_OF],
      useFactory: (
        runtime: ServiceRuntime,
        state: DecisionState,
        metrics: ConsentMetrics,
        keyOf: IdentifierKeyOf,
      ) => {
        const decider = new EventDecider(
          databaseOf(runtime),
          state,
          runtime.producer,
          runtime.serde,
          metrics,
          keyOf,
        );
        // Another replica's registration: release what this replica holds for the patient.
        state.onRegistrationFromTopic((registered) => {
          decider.releaseFor(registered).catch((error: unknown) => {
            runtime.logger.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'releasing held events failed; the sweep will retry',
            );
          });
        });
        return decider;
      },
    },
    {
      provide: ConsentApiHandler,
      inject: [
        SERVICE_RUNTIME,
        CONSENT_STORE,
        ConsentChangesPublisher,
        DecisionState,
        EventDecider,
        AUTHORIZATION_REGISTER,
        IDENTIFIER_KEY_OF,
      ],
      useFactory: (
        runtime: ServiceRuntime,
        store: ConsentStore,
        publisher: ConsentChangesPublisher,
        state: DecisionState,
        decider: EventDecider,
        register: AuthorizationRegister,
        keyOf: IdentifierKeyOf,
      ) =>
        new ConsentApiHandler(
          store,
          publisher,
          state,
          decider,
          register,
          runtime.producer,
          runtime.serde,
          runtime.env.KNUTEPUNKT_ENV,
          keyOf,
          runtime.logger,
        ),
    },
    HeldEventsSweeper,
  ],
})
export class ConsentModule {}
