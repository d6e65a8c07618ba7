import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  DynamicModule,
  Get,
  Global,
  Header,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The app's own Prometheus registry (one per app, so several apps can share a test process). */
@Controller('metrics')
class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  /** Every metric of this process in Prometheus' text format. */
  @Get()
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Where GET /metrics is served (HttpEdge.metrics, plus the host to bind the listener of its own to). */
export interface MetricsPlacement {
  /** Also on the service's own port (outside production). */
  onServicePort: boolean;
  /** A listener of its own, serving only GET /metrics (0: any free port). */
  port?: number;
  host?: string;
}

const METRICS_PLACEMENT = Symbol('METRICS_PLACEMENT');

/**
 * The metrics-only listener: GET /metrics and nothing else, for Prometheus on a port that the
 * public never reaches (the service port is published; this one stays inside the network).
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(Registry) private readonly registry: Registry,
    @Inject(METRICS_PLACEMENT) private readonly placement: MetricsPlacement,
  ) {}

  /** The port it listens on (undefined without a listener of its own). */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.placement.port === undefined) return;
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response
          .writeHead(404, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' })
          .end('{"error":{"code":"not_found","message":"only GET /metrics is served here"}}');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'x-content-type-options': 'nosniff' }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    server.keepAliveTimeout = 72_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.placement.port, this.placement.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    new Logger('Metrics').log(`metrics served on port ${this.port()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The app's one Registry, for every module to add its metrics to. */
@Global()
@Module({
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
class MetricsRegistryModule {}

/**
 * `GET /metrics` in Prometheus' format, and a `Registry` other modules add their metrics to:
 * the process' own (memory, CPU, event-loop lag), HTTP durations, and whatever the app adds.
 * `MetricsModule.serve(placement)` says where: on the service port, on a listener of its own,
 * or both.
 */
@Module({})
export class MetricsModule {
  static serve(placement: MetricsPlacement): DynamicModule {
    return {
      module: MetricsModule,
      imports: [MetricsRegistryModule],
      controllers: placement.onServicePort ? [MetricsController] : [],
      providers: [{ provide: METRICS_PLACEMENT, useValue: placement }, MetricsListener],
      exports: [MetricsRegistryModule, MetricsListener],
    };
  }
}
