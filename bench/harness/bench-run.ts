import { join } from 'node:path';
import { Queue } from 'bullmq';
import { deleteRedisKeys, freePort } from '@onebip/testing';
import type { BenchRole } from '../baseline/roles';
import { AppProcess } from './app-process';
import { BenchDatabases } from './bench-databases';
import { BenchSettings } from './settings';
import { StandInReceiver } from './stand-in-receiver';

/** The shared secret of every service the bench starts, and of the bench itself. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef-0123456789';

/** Billing's queue of deliveries (apps/billing's BILLING_REQUEST_QUEUE; the bench imports no app code). */
export const BILLING_QUEUE = 'billing-requests';

/** An app the bench started, and where it answers. */
export interface RunningApp {
  process: AppProcess;
  url: string;
}

/**
 * One run of the bench: its settings, its databases and Redis key prefixes (cleared before use and
 * at the end), and how it starts the systems under measurement as processes on free ports.
 */
export class BenchRun {
  private readonly prefixes = new Set<string>();
  private readonly queues: Queue[] = [];
  private readonly processes: AppProcess[] = [];
  private smsCarrier?: Promise<StandInReceiver>;

  constructor(
    readonly settings: BenchSettings,
    readonly databases: BenchDatabases,
    /** The bench's own bundle, started again with BENCH_ROLE for the bare implementations. */
    private readonly benchEntry: string,
  ) {}

  /** A Redis key prefix for one owner of queues, emptied now and at the end of the run. */
  async queuePrefix(owner: string): Promise<string> {
    const prefix = `bench-${owner}`;
    await deleteRedisKeys(this.settings.redisUrl, prefix);
    this.prefixes.add(prefix);
    return prefix;
  }

  /** A BullMQ queue the bench itself sends to or reads, closed at the end of the run. */
  queue(name: string, prefix: string): Queue {
    const queue = new Queue(name, { connection: { url: this.settings.redisUrl }, prefix });
    queue.on('error', (error) => console.warn(`bench queue ${prefix}:${name}: ${error.message}`));
    this.queues.push(queue);
    return queue;
  }

  /**
   * The SMS carrier every connectivity submits to: a stand-in answering 202 at once, outside the
   * system, as a real carrier is (connectivity's own simulated carrier would put the carrier's
   * work on connectivity's CPU).
   */
  async smsGatewayUrl(): Promise<string> {
    this.smsCarrier ??= StandInReceiver.start();
    return `${(await this.smsCarrier).url}/sms`;
  }

  /**
   * The built connectivity in `role`, submitting SMS to the stand-in carrier and reporting to
   * `callbackHost` (host:port, the billing whose messages it takes: production requires the list).
   */
  async startConnectivity(name: string, database: string, queuePrefix: string, callbackHost: string, role: 'api' | 'all' = 'all'): Promise<RunningApp> {
    const smsGatewayUrl = await this.smsGatewayUrl();
    return this.start(name, 'dist/apps/connectivity/main.js', () => ({
      APP_ROLE: role,
      DATABASE_URL: this.databases.url(database),
      QUEUE_PREFIX: queuePrefix,
      SMS_GATEWAY_URL: smsGatewayUrl,
      CALLBACK_ALLOWED_HOSTS: callbackHost,
    }));
  }

  /** The built billing in `role`, delivering to `connectivityUrl`. */
  /** The built billing in `role`; its message URLs are under `publicUrl` (default: its own URL). */
  async startBilling(
    name: string,
    options: {
      role: 'api' | 'worker' | 'all';
      database: string;
      queuePrefix: string;
      connectivityUrl: string;
      publicUrl?: string;
      port?: number;
      /** More of billing's variables (its events' subscribers, say). */
      env?: Record<string, string>;
    },
  ): Promise<RunningApp> {
    return this.start(
      name,
      'dist/apps/billing/main.js',
      (url) => ({
        APP_ROLE: options.role,
        DATABASE_URL: this.databases.url(options.database),
        QUEUE_PREFIX: options.queuePrefix,
        CONNECTIVITY_URL: options.connectivityUrl,
        BILLING_PUBLIC_URL: options.publicUrl ?? url,
        DELIVERY_CONCURRENCY: String(this.settings.deliveryConcurrency),
        // The load generator is one address sending far more than a client would.
        RATE_LIMIT_PAYMENTS_PER_MINUTE: '0',
        ...options.env,
      }),
      options.port,
    );
  }

  /** One of the bare implementations in bench/baseline, read from the same variables as the apps. */
  async startRole(role: BenchRole, options: { database?: string; queuePrefix?: string; connectivityUrl?: string; publicUrl?: string }): Promise<RunningApp> {
    const smsGatewayUrl = await this.smsGatewayUrl();
    return this.start(role, this.benchEntry, (url) => ({
      SMS_GATEWAY_URL: smsGatewayUrl,
      BENCH_ROLE: role,
      ...(options.database ? { DATABASE_URL: this.databases.url(options.database) } : {}),
      ...(options.queuePrefix ? { QUEUE_PREFIX: options.queuePrefix } : {}),
      ...(options.connectivityUrl ? { CONNECTIVITY_URL: options.connectivityUrl } : {}),
      BILLING_PUBLIC_URL: options.publicUrl ?? url,
      DELIVERY_CONCURRENCY: String(this.settings.deliveryConcurrency),
      // The load generator is one address sending far more than a client would.
      RATE_LIMIT_PAYMENTS_PER_MINUTE: '0',
    }));
  }

  /** Stops what is still running, closes the bench's queues, empties its Redis prefixes and drops its databases. */
  async cleanUp(): Promise<void> {
    await Promise.all(this.processes.splice(0).map((process) => process.stop()));
    await (await this.smsCarrier)?.goDown();
    this.smsCarrier = undefined;
    await Promise.all(this.queues.splice(0).map((queue) => queue.close().catch(() => undefined)));
    for (const prefix of this.prefixes) await deleteRedisKeys(this.settings.redisUrl, prefix);
    await this.databases.dropAll();
  }

  private async start(name: string, entry: string, env: (url: string) => Record<string, string>, chosenPort?: number): Promise<RunningApp> {
    const port = chosenPort ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    // Production serves /metrics on a listener of its own (METRICS_PORT, 9464 by default): each
    // process of the bench gets a port of its own, or the second one to start could not listen.
    const metricsPort = await freePort();
    const process = await AppProcess.start({
      name,
      entry,
      env: {
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        HOST: '127.0.0.1',
        REDIS_URL: this.settings.redisUrl,
        MESSAGING_SECRETS: BENCH_SECRET,
        ...env(url),
      },
      logDir: this.settings.logDir,
      cpuProfileDir: this.settings.cpuProfile ? join(this.settings.resultsDir, 'profiles') : undefined,
    });
    this.processes.push(process);
    return { process, url };
  }
}
