import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChaosSwitches } from './chaos-settings';

/** Injects the switched-on faults into deliveries (`POST /messages`) and nothing else. */
@Injectable()
export class ChaosFaults implements OnModuleInit {
  private readonly logger = new Logger('Chaos');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly switches: ChaosSwitches,
  ) {}

  onModuleInit(): void {
    const fastify: FastifyInstance = this.adapterHost.httpAdapter.getInstance();
    fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (!isDelivery(request)) return done();
      const { down, delayMs, unavailableRate } = this.switches.settings;
      if (down) {
        this.logger.warn('down: resetting a delivery connection');
        request.raw.socket.destroy();
        return;
      }
      if (Math.random() < unavailableRate) {
        reply.code(503).send({ error: 'chaos_unavailable', message: 'connectivity is switched to answer 503 (CHAOS_ENABLED)' });
        return;
      }
      if (delayMs > 0) setTimeout(done, delayMs);
      else done();
    });
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      if (isDelivery(request) && this.switches.settings.dropResponses) {
        // The handler has run (and stored the message, when it was new); the sender never hears.
        this.logger.warn(`dropping the ${reply.statusCode} answer to a delivery`);
        request.raw.socket.destroy();
      }
      done(null, payload);
    });
  }
}

function isDelivery(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.routeOptions.url === '/messages';
}
