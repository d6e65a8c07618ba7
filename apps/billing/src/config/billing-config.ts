import { AdminUi, EnvReader, HttpEdge, LogLevel, readAdminUi, readHttpEdge, readLogLevel } from '@onebip/platform';
import { MessagingSecurity, readMessagingSecurity } from '@onebip/messaging';
import { SubscriberHosts, billingHosts, subscriberUrlProblem } from './subscriber-hosts';

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
  /** Events billing publishes to the services that subscribe (docs/architecture.md, "Events"). */
  events: EventsConfig;
}

/** A subscription declared at boot (EVENT_SUBSCRIPTIONS), for compose and Kubernetes. */
export interface DeclaredSubscription {
  subscriber: string;
  url: string;
  types: string[] | null;
  secret: string;
}

export interface EventsConfig {
  /** EVENT_SUBSCRIBER_HOSTS: the host:port pairs a subscription's URL may name; none: no subscription is accepted. */
  subscriberHosts: string[];
  /** EVENT_SUBSCRIPTIONS: subscriptions made (or updated) at boot. */
  declared: DeclaredSubscription[];
  /** EVENT_RETENTION_DAYS: how long events are kept, and how far back a backfill (`since`) may reach. */
  retentionDays: number;
  /** EVENT_SECRET_OVERLAP_S: how long a rotated secret still signs deliveries beside the new one. */
  secretOverlapSeconds: number;
  /** EVENT_DELIVERY_CONCURRENCY: deliveries in flight at once per subscription, per worker process. */
  concurrency: number;
  /** EVENT_SUBSCRIPTIONS_REFRESH_MS: how soon a worker process follows a new, changed or ended subscription. */
  refreshIntervalMs: number;
}

/** A subscriber's name: lower-case letters, digits and dashes, as in a queue's name and a URL's path. */
export const SUBSCRIBER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The shortest secret a declared subscription may have; generated ones are 43 characters. */
export const SUBSCRIPTION_SECRET_MIN_LENGTH = 32;

/** Reads and validates billing's environment; throws a ConfigError naming every bad variable. */
export function readBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  const read = new EnvReader(env);
  const port = read.port('PORT', 3001);
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = read.url('BILLING_PUBLIC_URL', ['http:', 'https:'], 'http://127.0.0.1:3001');
  const subscriberHosts = read.list('EVENT_SUBSCRIBER_HOSTS').map((each) => each.toLowerCase());
  for (const entry of subscriberHosts) {
    // As a URL's host reads: a name or [IPv6] address and a port, which a default port never shows.
    if (!/^([a-z0-9_.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(entry) || /:(80|443)$/.test(entry)) {
      read.reject(
        `EVENT_SUBSCRIBER_HOSTS: ${JSON.stringify(entry)} must be host:port (no scheme, no path; a port other than 80 and 443, which a URL's host leaves out: write those hosts without a port)`,
      );
    }
  }
  const hosts = { allowed: subscriberHosts, billing: billingHosts(publicUrl, host, port) };
  return read.done({
    role: read.oneOf('APP_ROLE', ['api', 'worker', 'all'] as const, 'all'),
    port,
    host,
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/billing'),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    queuePrefix: read.name('QUEUE_PREFIX', 'onebip'),
    connectivityUrl: read.url('CONNECTIVITY_URL', ['http:', 'https:'], 'http://127.0.0.1:3002'),
    publicUrl,
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
    events: {
      subscriberHosts,
      declared: readDeclaredSubscriptions(read, env, hosts),
      retentionDays: read.integer('EVENT_RETENTION_DAYS', 7, { min: 1, max: 3650 }),
      secretOverlapSeconds: read.integer('EVENT_SECRET_OVERLAP_S', 86_400, { min: 0, max: 30 * 86_400 }),
      concurrency: read.integer('EVENT_DELIVERY_CONCURRENCY', 8, { min: 1, max: 1000 }),
      refreshIntervalMs: read.integer('EVENT_SUBSCRIPTIONS_REFRESH_MS', 5000, { min: 10, max: 3_600_000 }),
    },
  });
}

/**
 * EVENT_SUBSCRIPTIONS: a JSON array of `{ "subscriber", "url", "types", "secret" }`. Each secret is
 * the subscriber's own: at least SUBSCRIPTION_SECRET_MIN_LENGTH characters, and never one of
 * MESSAGING_SECRETS, which would let the subscriber sign as billing; each URL is held to the rule
 * of `PUT /subscriptions` (EVENT_SUBSCRIBER_HOSTS, never billing itself).
 */
function readDeclaredSubscriptions(read: EnvReader, env: Record<string, string | undefined>, hosts: SubscriberHosts): DeclaredSubscription[] {
  const raw = read.text('EVENT_SUBSCRIPTIONS');
  if (raw === undefined || raw.trim() === '') return [];
  const problem = (why: string): DeclaredSubscription[] => {
    read.reject(`EVENT_SUBSCRIPTIONS ${why}`);
    return [];
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return problem('must be JSON: an array of { "subscriber", "url", "types", "secret" }');
  }
  if (!Array.isArray(parsed)) return problem('must be a JSON array of { "subscriber", "url", "types", "secret" }');
  const messagingSecrets = new Set((env.MESSAGING_SECRETS ?? '').split(',').map((secret) => secret.trim()));
  const declared: DeclaredSubscription[] = [];
  for (const [index, item] of parsed.entries()) {
    const entry = item as Partial<Record<keyof DeclaredSubscription, unknown>> | null;
    const at = `[${index}]`;
    if (typeof entry !== 'object' || entry === null) return problem(`${at} must be an object`);
    const { subscriber, url, types, secret } = entry;
    if (typeof subscriber !== 'string' || !SUBSCRIBER_NAME.test(subscriber)) return problem(`${at}.subscriber must be lower-case letters, digits and dashes`);
    const urlProblem = typeof url === 'string' ? subscriberUrlProblem(url, hosts) : 'url must be an absolute http(s) URL';
    if (urlProblem) return problem(`${at} (${subscriber}): ${urlProblem}`);
    // Which types exist is the events feature's to say, when billing declares the subscriptions.
    if (types !== undefined && types !== null && !(Array.isArray(types) && types.length > 0 && types.every((type) => typeof type === 'string'))) {
      return problem(`${at}.types must be null, or a non-empty array of CloudEvents types`);
    }
    if (typeof secret !== 'string' || secret.length < SUBSCRIPTION_SECRET_MIN_LENGTH) {
      return problem(`${at}.secret must be at least ${SUBSCRIPTION_SECRET_MIN_LENGTH} characters`);
    }
    if (messagingSecrets.has(secret)) return problem(`${at}.secret must not be one of MESSAGING_SECRETS: a subscriber holds its own secret`);
    if (declared.some((other) => other.subscriber === subscriber)) return problem(`${at}.subscriber ${subscriber} is declared twice`);
    declared.push({ subscriber, url: url as string, types: (types as string[] | null | undefined) ?? null, secret });
  }
  return declared;
}
