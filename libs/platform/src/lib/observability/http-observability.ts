import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { Histogram, Registry } from 'prom-client';
import { REQUEST_ID_HEADER, correlationIdFrom, runWithCorrelationId } from './correlation';

/** Routes too frequent and too dull to log on every call (they are still measured). */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Gives every HTTP request a correlation id (from `traceparent` or `X-Request-Id`, else new),
 * runs its handling under that id and echoes it in `X-Request-Id`; logs one line per request
 * and, with a registry, measures `http_request_duration_seconds` by method, route and status.
 */
export function observeHttp(fastify: FastifyInstance, logger: Pino, registry?: Registry): void {
  const durations = registry
    ? new Histogram({
        name: 'http_request_duration_seconds',
        help: 'Time to answer an HTTP request, by method, route pattern and status',
        labelNames: ['method', 'route', 'status'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      })
    : undefined;

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const correlationId = correlationIdFrom(request.headers);
    reply.header(REQUEST_ID_HEADER, correlationId);
    runWithCorrelationId(correlationId, done);
  });

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // The pattern, not the path: `/messages/:id` is one series, not one per message.
    const route = request.routeOptions.url ?? 'unmatched';
    const correlationId = reply.getHeader(REQUEST_ID_HEADER);
    const seconds = reply.elapsedTime / 1000;
    durations?.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    if (!QUIET_ROUTES.has(route)) {
      // The path only: a query string may carry a token, and logs are no place for one.
      const path = request.url.split('?')[0];
      const line = { correlationId, method: request.method, path, route, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 };
      logger.info(line, `${request.method} ${path} ${reply.statusCode}`);
    }
    done();
  });
}
