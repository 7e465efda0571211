import { Module } from '@nestjs/common';
import { loadConfig, patientKeyEnv, patientKeySecret, runtimeEnv } from '@knutepunkt/config';
import { createPatientKeyDeriver } from '@knutepunkt/fhir';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@knutepunkt/service';
import type { NormalizeContext } from './domain';
import { NormalizeAcceptedHandler } from './normalize/normalize-accepted.handler';
import { NORMALIZE_CONTEXT } from './tokens';

/** normalizer: turns accepted submissions into canonical WelfareEvents. */
@Module({
  controllers: [NormalizeAcceptedHandler],
  providers: [
    {
      provide: NORMALIZE_CONTEXT,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): NormalizeContext => {
        const secret = patientKeySecret(
          loadConfig(runtimeEnv.merge(patientKeyEnv), runtime.envSource),
        );
        const derive = createPatientKeyDeriver(secret);
        if (!derive.ok) throw new Error(derive.error.message);
        return {
          patientKey: (orgnr, identifier) => derive.value({ orgnr, identifier }),
        };
      },
    },
  ],
})
export class NormalizerModule {}
