import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_EDGE, TEST_SECRET, deleteRedisKeys, readJson, scratchDatabase, testRedisUrl, uniquePrefix } from '@onebip/testing';
import { BillingConfig } from '../src/config/billing-config';
import { startBillingDemo } from '../src/demo/start-billing-demo';
import { startBilling } from '../src/start-billing';

export interface TestBilling {
  app: NestFastifyApplication;
  url: string;
  config: BillingConfig;
  close(): Promise<void>;
}

/**
 * Billing started in this process on a free port, with a database and a Redis key prefix of its
 * own (its sweep must not pick up another test's messages), retries in fractions of a second, and
 * the periodic sweep out of the way. The production build unless `build` is `demo` (the console).
 */
export async function startTestBilling(
  connectivityUrl: string,
  overrides: Partial<Omit<BillingConfig, 'delivery' | 'sweep' | 'events'>> & {
    delivery?: Partial<BillingConfig['delivery']>;
    sweep?: Partial<BillingConfig['sweep']>;
    events?: Partial<BillingConfig['events']>;
  } = {},
  build: 'production' | 'demo' = 'production',
): Promise<TestBilling> {
  const database = scratchDatabase('billing');
  const config: BillingConfig = {
    role: 'all',
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    redisUrl: testRedisUrl(),
    queuePrefix: uniquePrefix('billing'),
    connectivityUrl,
    publicUrl: 'http://billing.test',
    messaging: { secrets: [TEST_SECRET], clockToleranceSeconds: 300 },
    legacyFields: true,
    logLevel: 'info',
    adminUi: { enabled: false },
    edge: TEST_EDGE,
    paymentsPerMinute: 0,
    ...overrides,
    delivery: { concurrency: 8, requestTimeoutMs: 2000, backoffFirstWaitSeconds: 0.02, backoffUpToSeconds: 5, ...overrides.delivery },
    sweep: { intervalMs: 3_600_000, pendingAfterMs: 0, ...overrides.sweep },
    events: {
      subscriberHosts: [],
      declared: [],
      retentionDays: 7,
      secretOverlapSeconds: 86_400,
      concurrency: 4,
      refreshIntervalMs: 50,
      ...overrides.events,
    },
  };
  const start = build === 'demo' ? startBillingDemo : startBilling;
  const app = await start(config, { logger: process.env.TEST_APP_LOGS ? undefined : false });
  return {
    app,
    url: await app.getUrl(),
    config,
    close: async () => {
      await app.close();
      await deleteRedisKeys(config.redisUrl, config.queuePrefix);
      await database.drop();
    },
  };
}

export function buildPayment(overrides: Record<string, unknown> = {}) {
  return { phoneNumber: '393331234567', amount: 1299, currency: 'EUR', ...overrides };
}

export async function pay(billingUrl: string, payment: unknown = buildPayment()): Promise<Response> {
  return fetch(`${billingUrl}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payment) });
}

/** The message resource at billing, by its URL's id. */
export async function messageAt(billingUrl: string, messageUrl: string) {
  const id = messageUrl.split('/').pop();
  return readJson(await fetch(`${billingUrl}/messages/${id}`));
}
