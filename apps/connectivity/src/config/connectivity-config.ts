import { AdminUi, EnvReader, HttpEdge, LogLevel, isProduction, readAdminUi, readHttpEdge, readLogLevel } from '@onebip/platform';
import { MessagingSecurity, readMessagingSecurity } from '@onebip/messaging';

/** Connectivity's configuration, read once from the environment at boot. */
/** What a connectivity process does: receive messages (HTTP), send SMS and reports (worker), or both. */
export type ConnectivityRole = 'api' | 'worker' | 'all';

export interface ConnectivityConfig {
  role: ConnectivityRole;
  port: number;
  host: string;
  databaseUrl: string;
  bodyLimitBytes: number;
  /** Timeouts, connection cap, trusted proxies and where /metrics is served. */
  edge: HttpEdge;
  /** Shared secrets that X-Authentication must be signed with, and the clock tolerance. */
  messaging: MessagingSecurity;
  /** LOG_LEVEL: the lowest level logged. */
  logLevel: LogLevel;
  /** Whether the queue dashboard is served, and the credentials it asks for. */
  adminUi: AdminUi;
  /** CHAOS_ENABLED: the fault switches at /admin/chaos exist (never with NODE_ENV=production). */
  chaosEnabled: boolean;
  /**
   * SIMULATED_CARRIER_ENABLED: this app serves a stand-in carrier at /simulated-carrier/sms, the
   * default SMS gateway of demos and tests (on by default outside production, refused in it).
   */
  simulatedCarrier: boolean;
  /** Redis holding connectivity's own job queue (SMS submissions and delivery reports). */
  redisUrl: string;
  queuePrefix: string;
  smsGateway: {
    /** SMS_GATEWAY_URL: where SMS are submitted; required in production, else the simulated carrier this app serves. */
    url: string;
    /** The simulated carrier's answer time, and the share of submissions it refuses with 503. */
    latencyMs: number;
    failureRate: number;
    retryFirstWaitSeconds: number;
    retryUpToSeconds: number;
    /** The SMS sweep: how often it runs, and how long a message may stay `accepted` before its SMS job is sent again. */
    sweepIntervalMs: number;
    sweepAcceptedAfterMs: number;
  };
  callbacks: {
    /**
     * CALLBACK_ALLOWED_HOSTS: host:port pairs a callback may target, on top of being the message
     * URL's own origin; required in production, empty elsewhere means that origin alone.
     */
    allowedHosts: string[];
    retryFirstWaitSeconds: number;
    retryUpToSeconds: number;
  };
}

/** Reads and validates connectivity's environment; throws a ConfigError naming every bad variable. */
export function readConnectivityConfig(env: Record<string, string | undefined> = process.env): ConnectivityConfig {
  const read = new EnvReader(env);
  const port = read.port('PORT', 3002);
  const simulatedCarrier = readSimulatedCarrier(read, env);
  return read.done({
    role: read.oneOf('APP_ROLE', ['api', 'worker', 'all'] as const, 'all'),
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/connectivity'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 64 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    edge: readHttpEdge(read, env),
    messaging: readMessagingSecurity(read, env),
    logLevel: readLogLevel(read),
    adminUi: readAdminUi(read, env),
    chaosEnabled: readChaosEnabled(read, env),
    simulatedCarrier,
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    queuePrefix: read.name('QUEUE_PREFIX', 'onebip'),
    smsGateway: {
      url: read.url('SMS_GATEWAY_URL', ['http:', 'https:'], simulatedCarrier ? `http://127.0.0.1:${port}/simulated-carrier/sms` : undefined),
      latencyMs: read.integer('SMS_GATEWAY_LATENCY_MS', 50, { min: 0, max: 60_000 }),
      failureRate: read.fraction('SMS_GATEWAY_FAILURE_RATE', 0),
      retryFirstWaitSeconds: read.positiveNumber('SMS_RETRY_FIRST_WAIT_S', 5),
      retryUpToSeconds: read.positiveNumber('SMS_RETRY_UP_TO_S', 600),
      sweepIntervalMs: read.integer('SMS_SWEEP_INTERVAL_MS', 30_000, { min: 10, max: 3_600_000 }),
      sweepAcceptedAfterMs: read.integer('SMS_SWEEP_ACCEPTED_AFTER_MS', 60_000, { min: 0, max: 86_400_000 }),
    },
    callbacks: {
      allowedHosts: readCallbackAllowedHosts(read, env),
      retryFirstWaitSeconds: read.positiveNumber('CALLBACK_RETRY_FIRST_WAIT_S', 5),
      retryUpToSeconds: read.positiveNumber('CALLBACK_RETRY_UP_TO_S', 3600),
    },
  });
}

/** Production names the hosts it reports to: without the list, any sender's origin would do. */
function readCallbackAllowedHosts(read: EnvReader, env: Record<string, string | undefined>): string[] {
  const hosts = read.list('CALLBACK_ALLOWED_HOSTS');
  if (hosts.length === 0 && isProduction(env))
    read.reject('CALLBACK_ALLOWED_HOSTS is required with NODE_ENV=production (host:port of each service that gets delivery reports)');
  return hosts;
}

/** Fault injection is for demos and tests: a production process refuses to boot with it. */
function readChaosEnabled(read: EnvReader, env: Record<string, string | undefined>): boolean {
  const enabled = read.boolean('CHAOS_ENABLED', false);
  if (enabled && isProduction(env)) read.reject('CHAOS_ENABLED=true is refused with NODE_ENV=production');
  return enabled;
}

/**
 * The simulated carrier is demo equipment: a production process refuses to boot with it, and
 * without it SMS_GATEWAY_URL must name a real carrier.
 */
function readSimulatedCarrier(read: EnvReader, env: Record<string, string | undefined>): boolean {
  const production = isProduction(env);
  const enabled = read.boolean('SIMULATED_CARRIER_ENABLED', !production);
  if (enabled && production) read.reject('SIMULATED_CARRIER_ENABLED=true is refused with NODE_ENV=production');
  return enabled;
}
