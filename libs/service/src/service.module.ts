import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { ReadinessCheck } from '@knutepunkt/observability';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import type { ServiceRuntime } from './service-runtime';
import { READINESS_CHECKS, SERVICE_RUNTIME } from './tokens';
import { REQUEST_ID_HEADER } from './request-id';

const quietRoutes = new Set(['/health/live', '/health/ready', '/metrics']);

class RuntimeCloser implements OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(READINESS_CHECKS)
    private readonly checks: readonly (ReadinessCheck & { close?: () => Promise<void> })[],
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.closeTableViews();
    await this.runtime.producer.disconnect();
    await Promise.all(this.checks.map((c) => c.close?.() ?? Promise.resolve()));
    await this.runtime.dataSource?.destroy();
  }
}

/**
 * What every app gets around its own module: the runtime (config, logger, metrics, producer,
 * database) as injectable, JSON logs with the request id, /health and /metrics.
 */
@Module({})
export class ServiceModule {
  static forRoot(
    runtime: ServiceRuntime,
    checks: readonly ReadinessCheck[],
    appModule: Type<unknown>,
  ): DynamicModule {
    return {
      module: ServiceModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: runtime.logger,
            genReqId: (req: IncomingMessage) => String(req.headers[REQUEST_ID_HEADER]),
            customAttributeKeys: { reqId: 'requestId' },
            autoLogging: { ignore: (req: IncomingMessage) => quietRoutes.has(req.url ?? '') },
            // Log the route and status, never headers or bodies: they carry tokens and health data.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        appModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_RUNTIME, useValue: runtime },
        { provide: READINESS_CHECKS, useValue: checks },
        RuntimeCloser,
      ],
      exports: [SERVICE_RUNTIME, READINESS_CHECKS],
    };
  }
}
