import { ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LevelWithSilent } from 'pino';
import { Registry } from 'prom-client';
import { ADMIN_UI_PATHS, AdminUi } from '../config/admin-ui';
import { AppError } from '../errors/app-error';
import { AppErrorFilter } from '../errors/app-error.filter';
import { observeHttp } from '../observability/http-observability';
import { ServiceLogger, createServiceLogger } from '../observability/service-logger';
import { QUEUE_DASHBOARD_ROUTE } from '../admin/queue-dashboard.module';
import { readOnlyUnder, requireBasicAuth } from './basic-auth';
import { RawBodyCheck, jsonBodyParser } from './json-body';
import { RateLimits, installRateLimits } from './rate-limits';
import { installSecurityHeaders } from './security-headers';
import { EnvReader } from '../config/env-reader';
import { HttpEdge, readHttpEdge } from '../config/http-edge';

export interface ServiceAppOptions {
  /** The service's name, on every log line. */
  service: string;
  /** Largest accepted request body, in bytes (413 beyond). */
  bodyLimitBytes?: number;
  /** Lowest level logged (default info); false in tests that want quiet output. */
  logger?: false | undefined;
  logLevel?: LevelWithSilent;
  /** Where log lines go (default: standard output). */
  logDestination?: NodeJS.WritableStream;
  /** With credentials, the admin pages (queue dashboard, demo console) ask for them. */
  adminUi?: AdminUi;
  /** Sees each JSON body's raw bytes before they are parsed (signed routes check their signature there). */
  beforeParsing?: RawBodyCheck;
  /** Timeouts, the connection cap and the trusted proxies (readHttpEdge); default: production's. */
  edge?: HttpEdge;
  /** Per-address limits of @RateLimited routes and of failed admin logins; default: counted in this process only, no route limits. */
  rateLimits?: RateLimits;
}

const DEFAULT_EDGE = readHttpEdge(new EnvReader({}), {});

/**
 * A NestJS app on Fastify, set up the same way in every service: JSON bodies only (415 for
 * any other type), the raw body kept for signature checks, DTO validation that names every
 * field at fault, one error filter, shutdown hooks that exit 0 on SIGTERM, JSON logs with a
 * correlation id per request, and HTTP durations in the app's metrics (when it has MetricsModule).
 * At its edge: a deadline for each request to arrive (408), a cap on connections, security
 * headers on every answer, and per-address rate limits (429).
 */
export async function createServiceApp(module: unknown, options: ServiceAppOptions): Promise<NestFastifyApplication> {
  const bodyLimit = options.bodyLimitBytes ?? 64 * 1024;
  const edge = options.edge ?? DEFAULT_EDGE;
  const adapter = new FastifyAdapter({
    bodyLimit,
    // A client that trickles its headers or body is cut off (408) once the deadline passes;
    // Node checks the deadlines every second, not every 30 s, so the cut comes on time.
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    http: { headersTimeout: edge.headersTimeoutMs, requestTimeout: edge.requestTimeoutMs, connectionsCheckingInterval: 1_000 },
    // X-Forwarded-For is believed only from the proxies named; otherwise the client is the socket's peer.
    trustProxy: edge.trustedProxies.length > 0 ? edge.trustedProxies : false,
  });
  adapter.getInstance().server.maxConnections = edge.maxConnections;
  // The services speak JSON only: Fastify's text/plain parser goes, and Nest's default parsers
  // (JSON and form-urlencoded) are replaced by a JSON one, so any other type answers 415.
  adapter.getInstance().removeContentTypeParser(['text/plain']);
  const pino = createServiceLogger({
    service: options.service,
    level: options.logger === false ? 'silent' : options.logLevel,
    destination: options.logDestination,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bodyParser: false,
    rawBody: true,
    logger: options.logger === false ? false : new ServiceLogger(pino),
    abortOnError: false,
  });
  observeHttp(adapter.getInstance(), pino, optionalRegistry(app));
  await installSecurityHeaders(adapter.getInstance());
  const loginAttempts = await installRateLimits(adapter.getInstance(), options.rateLimits ?? { keyPrefix: options.service, perMinute: {} });
  if (options.adminUi?.enabled && options.adminUi.credentials) {
    requireBasicAuth(adapter.getInstance(), ADMIN_UI_PATHS, options.adminUi.credentials, loginAttempts);
  }
  if (options.adminUi?.enabled) readOnlyUnder(adapter.getInstance(), QUEUE_DASHBOARD_ROUTE);
  app.useBodyParser('application/json', { bodyLimit }, jsonBodyParser(options.beforeParsing));
  app.useGlobalFilters(new AppErrorFilter());
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

function optionalRegistry(app: NestFastifyApplication): Registry | undefined {
  try {
    return app.get(Registry, { strict: false });
  } catch {
    return undefined;
  }
}

/** Validates DTOs; a violation answers 400 with every field at fault and what is wrong with it. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    exceptionFactory: (errors: ValidationError[]) => AppError.invalid(fieldProblems(errors)),
  });
}

function fieldProblems(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const name = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields[name] = Object.values(error.constraints);
    Object.assign(fields, fieldProblems(error.children ?? [], name));
  }
  return fields;
}
