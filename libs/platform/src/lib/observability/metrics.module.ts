import { Controller, Get, Global, Header, Inject, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/** The app's own Prometheus registry (one per app, so several apps can share a test process). */
@Controller('metrics')
class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  /** Every metric of this process in Prometheus' text format. */
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * `GET /metrics` in Prometheus' format, and a `Registry` other modules add their metrics to:
 * the process' own (memory, CPU, event-loop lag), HTTP durations, and whatever the app adds.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
  ],
  exports: [Registry],
})
export class MetricsModule {}
