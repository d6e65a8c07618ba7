import { AdminUi, EnvReader, HttpEdge, LogLevel, readAdminUi, readHttpEdge, readLogLevel } from '@onebip/platform';
import { MessagingSecurity, readMessagingSecurity } from '@onebip/messaging';

/** Billing's configuration, read once from the environment at boot. */
/** What a billing process does: serve the API, deliver messages (worker and sweep), or both. */
export type AppRole = 'api' | 'worker' | 'all';

export interface BillingConfig {
  role: AppRole;
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of billing's Redis keys (its job queue). */
  queuePrefix: string;
  connectivityUrl: string;
  /** Base of the URLs billing gives its messages: their identity at connectivity. */
  publicUrl: string;
  /** Shared secrets billing signs its requests with (X-Authentication), and the clock tolerance it accepts. */
  messaging: MessagingSecurity;
  /** LOG_LEVEL: the lowest level logged. */
  logLevel: LogLevel;
  /** Whether the queue dashboard and the demo console is served, and the credentials it asks for. */
  adminUi: AdminUi;
  /** Timeouts, connection cap, trusted proxies and where /metrics is served. */
  edge: HttpEdge;
  /** RATE_LIMIT_PAYMENTS_PER_MINUTE: POST /payments per client address per minute (0: no limit); each payment sends an SMS. */
  paymentsPerMinute: number;
  /** Send `phonenumber` beside `phoneNumber`, for receivers that only know the old name (docs/compatibility.md). */
  legacyFields: boolean;
  delivery: {
    concurrency: number;
    requestTimeoutMs: number;
    backoffFirstWaitSeconds: number;
    backoffUpToSeconds: number;
  };
  sweep: {
    intervalMs: number;
    pendingAfterMs: number;
  };
}

/** Reads and validates billing's environment; throws a ConfigError naming every bad variable. */
export function readBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  const read = new EnvReader(env);
  return read.done({
    role: read.oneOf('APP_ROLE', ['api', 'worker', 'all'] as const, 'all'),
    port: read.port('PORT', 3001),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/billing'),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    queuePrefix: read.name('QUEUE_PREFIX', 'onebip'),
    connectivityUrl: read.url('CONNECTIVITY_URL', ['http:', 'https:'], 'http://127.0.0.1:3002'),
    publicUrl: read.url('BILLING_PUBLIC_URL', ['http:', 'https:'], 'http://127.0.0.1:3001'),
    messaging: readMessagingSecurity(read, env),
    logLevel: readLogLevel(read),
    adminUi: readAdminUi(read, env),
    edge: readHttpEdge(read, env),
    paymentsPerMinute: read.integer('RATE_LIMIT_PAYMENTS_PER_MINUTE', 600, { min: 0, max: 1_000_000 }),
    legacyFields: read.boolean('MESSAGING_LEGACY_FIELDS', true),
    delivery: {
      concurrency: read.integer('DELIVERY_CONCURRENCY', 16, { min: 1, max: 1000 }),
      requestTimeoutMs: read.integer('DELIVERY_TIMEOUT_MS', 10_000, { min: 1, max: 600_000 }),
      backoffFirstWaitSeconds: read.positiveNumber('DELIVERY_BACKOFF_FIRST_WAIT_S', 5, { max: 24 * 3600 }),
      backoffUpToSeconds: read.positiveNumber('DELIVERY_BACKOFF_UP_TO_S', 3600, { max: 7 * 24 * 3600 }),
    },
    sweep: {
      intervalMs: read.integer('SWEEP_INTERVAL_MS', 30_000, { min: 10, max: 3_600_000 }),
      pendingAfterMs: read.integer('SWEEP_PENDING_AFTER_MS', 60_000, { min: 0, max: 86_400_000 }),
    },
  });
}
