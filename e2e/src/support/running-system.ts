import { signedFetch } from '@onebip/messaging';
import {
  Fault,
  FaultProxy,
  ServiceProcess,
  TEST_SECRET,
  deleteRedisKeys,
  freePort,
  loseRedisKeys,
  scratchDatabase,
  testDatabaseUrl,
  testRedisUrl,
  uniquePrefix,
} from '@onebip/testing';

export interface SystemOptions {
  /** More variables for every billing process. */
  billingEnv?: Record<string, string>;
  /** More variables for connectivity. */
  connectivityEnv?: Record<string, string>;
  /** More variables for the simulated carrier (CARRIER_LATENCY_MS, CARRIER_FAILURE_RATE). */
  carrierEnv?: Record<string, string>;
  /** Run the demo builds (dist/demo/): billing's console, connectivity's chaos switches. */
  demo?: boolean;
  /** Put a FaultProxy between billing and connectivity, injecting what this decides. */
  faults?: (n: number) => Fault;
  /** How long a `delay` fault holds a request. */
  faultDelayMs?: number;
  /** Run billing as an API process (APP_ROLE=api) and a separate worker (APP_ROLE=worker). */
  separateWorker?: boolean;
}

/** Statuses of a message at billing once connectivity has acknowledged it (a report may follow fast). */
export const ACKNOWLEDGED = ['sent', 'delivered', 'undeliverable'];

/**
 * Billing and connectivity started from dist/ as processes on free ports, talking over HTTP, with
 * the simulated carrier (apps/simulated-carrier) taking connectivity's SMS.
 */
export class RunningSystem {
  readonly billing: ServiceProcess;
  /** The worker process, when billing runs as API and worker apart. */
  readonly worker?: ServiceProcess;
  readonly connectivity: ServiceProcess;
  readonly carrier: ServiceProcess;

  private constructor(
    private readonly billingDatabase: { url: string; drop(): Promise<void> },
    readonly queuePrefix: string,
    readonly redisUrl: string,
    readonly billingUrl: string,
    readonly connectivityUrl: string,
    readonly faultProxy: FaultProxy | undefined,
    processes: { billing: ServiceProcess; worker?: ServiceProcess; connectivity: ServiceProcess; carrier: ServiceProcess },
  ) {
    ({ billing: this.billing, worker: this.worker, connectivity: this.connectivity, carrier: this.carrier } = processes);
  }

  static async start(options: SystemOptions = {}): Promise<RunningSystem> {
    const [billingPort, workerPort, connectivityPort, carrierPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const build = (app: 'billing' | 'connectivity') => (options.demo ? `dist/demo/${app}/main.js` : `dist/apps/${app}/main.js`);
    const billingUrl = `http://127.0.0.1:${billingPort}`;
    const connectivityUrl = `http://127.0.0.1:${connectivityPort}`;
    const faultProxy = options.faults ? await FaultProxy.start(connectivityUrl, options.faults, options.faultDelayMs) : undefined;
    const queuePrefix = uniquePrefix('e2e');
    const redisUrl = testRedisUrl();
    // Billing's sweep takes every pending message of its database: each system has its own.
    const billingDatabase = scratchDatabase('billing');
    const billingEnv = {
      DATABASE_URL: billingDatabase.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      CONNECTIVITY_URL: faultProxy?.url ?? connectivityUrl,
      BILLING_PUBLIC_URL: billingUrl,
      MESSAGING_SECRETS: TEST_SECRET,
      DELIVERY_BACKOFF_FIRST_WAIT_S: '0.05',
      DELIVERY_BACKOFF_UP_TO_S: '60',
      // Every test's payments come from 127.0.0.1; the limit has tests of its own.
      RATE_LIMIT_PAYMENTS_PER_MINUTE: '0',
      ...options.billingEnv,
    };
    const system = new RunningSystem(billingDatabase, queuePrefix, redisUrl, billingUrl, connectivityUrl, faultProxy, {
      carrier: new ServiceProcess({
        name: 'carrier',
        entry: 'dist/demo/simulated-carrier/main.js',
        env: { PORT: String(carrierPort), CARRIER_LATENCY_MS: '5', ...options.carrierEnv },
      }),
      connectivity: new ServiceProcess({
        name: 'connectivity',
        entry: build('connectivity'),
        env: {
          PORT: String(connectivityPort),
          DATABASE_URL: testDatabaseUrl('connectivity'),
          MESSAGING_SECRETS: TEST_SECRET,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: `${queuePrefix}-connectivity`,
          SMS_GATEWAY_URL: `http://127.0.0.1:${carrierPort}/sms`,
          SMS_RETRY_FIRST_WAIT_S: '0.05',
          SMS_RETRY_UP_TO_S: '0.4',
          CALLBACK_RETRY_FIRST_WAIT_S: '0.05',
          CALLBACK_RETRY_UP_TO_S: '60',
          ...options.connectivityEnv,
        },
      }),
      billing: new ServiceProcess({
        name: 'billing',
        entry: build('billing'),
        env: { ...billingEnv, PORT: String(billingPort), APP_ROLE: options.separateWorker ? 'api' : 'all' },
      }),
      worker: options.separateWorker
        ? new ServiceProcess({
            name: 'billing-worker',
            entry: build('billing'),
            env: { ...billingEnv, PORT: String(workerPort), APP_ROLE: 'worker' },
          })
        : undefined,
    });
    try {
      await system.carrier.start();
      await system.connectivity.start();
      await system.billing.start();
      await system.worker?.start();
    } catch (error) {
      // A process that did not start must not leave the others running: their pipes would keep
      // the test file alive after its tests, and the run would wait for it forever.
      await system.stop().catch(() => undefined);
      throw error;
    }
    return system;
  }

  async stop(): Promise<void> {
    await Promise.all([this.billing.stop(), this.worker?.stop(), this.connectivity.stop(), this.carrier.stop()]);
    await this.faultProxy?.stop();
    await deleteRedisKeys(this.redisUrl, this.queuePrefix);
    await deleteRedisKeys(this.redisUrl, `${this.queuePrefix}-connectivity`);
    await this.billingDatabase.drop();
  }

  /**
   * Every job and queue key of this system's billing and connectivity gone at once, as when Redis
   * restarts without persistence; other tests' keys in the same database stay.
   */
  async loseRedisData(): Promise<number> {
    return loseRedisKeys(this.redisUrl, [this.queuePrefix, `${this.queuePrefix}-connectivity`]);
  }

  /** The URL of billing's own database, for tests that look into it. */
  get billingDatabaseUrl(): string {
    return this.billingDatabase.url;
  }

  async pay(payment: Record<string, unknown> = { phoneNumber: '393331234567', amount: 1299, currency: 'EUR' }): Promise<Response> {
    return fetch(`${this.billingUrl}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payment) });
  }

  /** Pays and returns the URL of the payment's message. */
  async payForMessage(amount = 1299): Promise<string> {
    const response = await this.pay({ phoneNumber: '393331234567', amount, currency: 'EUR' });
    if (response.status !== 201) throw new Error(`POST /payments answered ${response.status}`);
    return ((await response.json()) as { message: string }).message;
  }

  /** The message as billing sees it. */
  async billingMessage(messageUrl: string): Promise<any> {
    return (await fetch(messageUrl)).json();
  }

  /** The message as connectivity stored it, or undefined when it has none. */
  async connectivityMessage(messageUrl: string): Promise<any> {
    const response = await signedFetch(`${this.connectivityUrl}/messages?message=${encodeURIComponent(messageUrl)}`, [TEST_SECRET]);
    return response.status === 404 ? undefined : response.json();
  }
}
