import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SERVICE_RUNTIME } from './tokens';
import type { ServiceRuntime } from './service-runtime';

@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.runtime.metrics.scrape();
    void reply.header('content-type', contentType);
    return body;
  }
}
