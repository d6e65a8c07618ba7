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
  /** Redis holding connectivity's own job queue (SMS submissions and delivery reports). */
  redisUrl: string;
  queuePrefix: string;
  smsGateway: {
    /**
     * SMS_GATEWAY_URL: where SMS are submitted; required in production, else the simulated carrier
     * (apps/simulated-carrier) on its default port, 3003.
     */
    url: string;
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
    /**
     * The report sweep: how often it runs, and how long after a message's final status its report
     * may go unacknowledged before its job is sent again (a no-op while the job still lives).
     */
    sweepIntervalMs: number;
    sweepUnacknowledgedAfterMs: number;
  };
}

/** Outside production, where SMS go unless SMS_GATEWAY_URL says otherwise: the simulated carrier's default address. */
export const SIMULATED_CARRIER_URL = 'http://127.0.0.1:3003/sms';

/** Reads and validates connectivity's environment; throws a ConfigError naming every bad variable. */
export function readConnectivityConfig(env: Record<string, string | undefined> = process.env): ConnectivityConfig {
  const read = new EnvReader(env);
  const port = read.port('PORT', 3002);
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
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    queuePrefix: read.name('QUEUE_PREFIX', 'onebip'),
    smsGateway: {
      url: read.url('SMS_GATEWAY_URL', ['http:', 'https:'], isProduction(env) ? undefined : SIMULATED_CARRIER_URL),
      retryFirstWaitSeconds: read.positiveNumber('SMS_RETRY_FIRST_WAIT_S', 5),
      retryUpToSeconds: read.positiveNumber('SMS_RETRY_UP_TO_S', 600),
      sweepIntervalMs: read.integer('SMS_SWEEP_INTERVAL_MS', 30_000, { min: 10, max: 3_600_000 }),
      sweepAcceptedAfterMs: read.integer('SMS_SWEEP_ACCEPTED_AFTER_MS', 60_000, { min: 0, max: 86_400_000 }),
    },
    callbacks: {
      allowedHosts: readCallbackAllowedHosts(read, env),
      retryFirstWaitSeconds: read.positiveNumber('CALLBACK_RETRY_FIRST_WAIT_S', 5),
      retryUpToSeconds: read.positiveNumber('CALLBACK_RETRY_UP_TO_S', 3600),
      sweepIntervalMs: read.integer('CALLBACK_SWEEP_INTERVAL_MS', 30_000, { min: 10, max: 3_600_000 }),
      sweepUnacknowledgedAfterMs: read.integer('CALLBACK_SWEEP_UNACKNOWLEDGED_AFTER_MS', 60_000, { min: 0, max: 86_400_000 }),
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
