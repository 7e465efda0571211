import { Module } from '@nestjs/common';
import {
  authorizationRegisterProvider,
  patientKeyDeriver,
  SERVICE_RUNTIME,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { loadNormalizerTemplates } from './device-templates/device-template-files';
import type { NormalizeAcceptedContext } from './domain';
import { NormalizerMetrics } from './normalizer-metrics';
import { NormalizeAcceptedHandler } from './normalize/normalize-accepted.handler';
import { NORMALIZE_CONTEXT } from './tokens';

/** normalizer: turns accepted submissions into canonical WelfareEvents. */
@Module({
  controllers: [NormalizeAcceptedHandler],
  providers: [
    authorizationRegisterProvider,
    {
      provide: NormalizerMetrics,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime) => new NormalizerMetrics(runtime.metrics),
    },
    {
      provide: NORMALIZE_CONTEXT,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime): NormalizeAcceptedContext => {
        const derive = patientKeyDeriver(runtime);
        return {
          patientKey: (orgnr, identifier) => derive({ orgnr, identifier }),
          // Vendor mapping templates (docs/vendor-templates.md), checked once here.
          templates: loadNormalizerTemplates(),
          environment: runtime.env.KNUTEPUNKT_ENV,
        };
      },
    },
  ],
})
export class NormalizerModule {}
