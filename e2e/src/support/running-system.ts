import { signedFetch } from '@onebip/messaging';
import { ServiceProcess, TEST_SECRET, deleteRedisKeys, freePort, testDatabaseUrl, testRedisUrl, uniquePrefix } from '@onebip/testing';

/** Billing and connectivity started from dist/ as processes on free ports, talking over HTTP. */
export class RunningSystem {
  readonly billing: ServiceProcess;
  readonly connectivity: ServiceProcess;

  private constructor(
    private readonly queuePrefix: string,
    readonly billingUrl: string,
    readonly connectivityUrl: string,
    billingEnv: Record<string, string>,
    connectivityEnv: Record<string, string>,
  ) {
    this.billing = new ServiceProcess({ name: 'billing', entry: 'dist/apps/billing/main.js', env: billingEnv });
    this.connectivity = new ServiceProcess({ name: 'connectivity', entry: 'dist/apps/connectivity/main.js', env: connectivityEnv });
  }

  static async start(billingOverrides: Record<string, string> = {}): Promise<RunningSystem> {
    const [billingPort, connectivityPort] = [await freePort(), await freePort()];
    const billingUrl = `http://127.0.0.1:${billingPort}`;
    const connectivityUrl = `http://127.0.0.1:${connectivityPort}`;
    const queuePrefix = uniquePrefix('e2e');
    const system = new RunningSystem(
      queuePrefix,
      billingUrl,
      connectivityUrl,
      {
        PORT: String(billingPort),
        DATABASE_URL: testDatabaseUrl('billing'),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: queuePrefix,
        CONNECTIVITY_URL: connectivityUrl,
        BILLING_PUBLIC_URL: billingUrl,
        MESSAGING_SECRETS: TEST_SECRET,
        DELIVERY_BACKOFF_FIRST_WAIT_S: '0.05',
        DELIVERY_BACKOFF_UP_TO_S: '60',
        ...billingOverrides,
      },
      { PORT: String(connectivityPort), DATABASE_URL: testDatabaseUrl('connectivity'), MESSAGING_SECRETS: TEST_SECRET },
    );
    await system.connectivity.start();
    await system.billing.start();
    return system;
  }

  async stop(): Promise<void> {
    await Promise.all([this.billing.stop(), this.connectivity.stop()]);
    await deleteRedisKeys(testRedisUrl(), this.queuePrefix);
  }

  async pay(payment: Record<string, unknown> = { phoneNumber: '393331234567', amount: 1299, currency: 'EUR' }): Promise<Response> {
    return fetch(`${this.billingUrl}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payment) });
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
