import { freePort } from '@onebip/testing';
import { AppProcess } from './app-process';
import { BenchRun, RunningApp } from './bench-run';

/** A billing and a connectivity that take payments at POST /payments, however they are built. */
export interface PaymentSystem {
  label: string;
  billingUrl: string;
  /** Billing's database, whose `messages` table (the same schema in every system) tells each message's status. */
  billingDatabase: string;
  processes: AppProcess[];
  stop(): Promise<void>;
}

/**
 * The real system from dist/, as docker-compose.yml runs it: connectivity, billing's API
 * (APP_ROLE=api) and billing's delivery worker (APP_ROLE=worker) in a process of its own;
 * `billingEnv` goes to both of billing's processes.
 */
export async function startRealSystem(run: BenchRun, billingEnv: Record<string, string> = {}): Promise<PaymentSystem> {
  const [billingDatabase, connectivityDatabase] = ['billing_bench', 'connectivity_bench'];
  await run.databases.drop(billingDatabase);
  await run.databases.drop(connectivityDatabase);
  // Billing's port is chosen first: connectivity reports to it, and production names the host.
  const billingPort = await freePort();
  const connectivity = await run.startConnectivity('connectivity', connectivityDatabase, await run.queuePrefix('connectivity'), `127.0.0.1:${billingPort}`);
  const queuePrefix = await run.queuePrefix('billing');
  const billing = await run.startBilling('billing', {
    role: 'api',
    database: billingDatabase,
    queuePrefix,
    connectivityUrl: connectivity.url,
    port: billingPort,
    env: billingEnv,
  });
  const worker = await run.startBilling('billing-worker', {
    role: 'worker',
    database: billingDatabase,
    queuePrefix,
    connectivityUrl: connectivity.url,
    publicUrl: billing.url,
    env: billingEnv,
  });
  return paymentSystem('billing + connectivity', billing, connectivity, billingDatabase, worker);
}

/** The same interface written bare in bench/baseline: node:http, pg and BullMQ, no framework. */
export async function startBaselineSystem(run: BenchRun): Promise<PaymentSystem> {
  const [billingDatabase, connectivityDatabase] = ['baseline_billing_bench', 'baseline_connectivity_bench'];
  await run.databases.recreate(billingDatabase);
  await run.databases.recreate(connectivityDatabase);
  const connectivity = await run.startRole('baseline-connectivity', {
    database: connectivityDatabase,
    queuePrefix: await run.queuePrefix('baseline-connectivity'),
  });
  // The same split: an API process, and a second one delivering the jobs.
  const queuePrefix = await run.queuePrefix('baseline-billing');
  const billing = await run.startRole('baseline-billing-api', { database: billingDatabase, queuePrefix, connectivityUrl: connectivity.url });
  const worker = await run.startRole('baseline-billing', { database: billingDatabase, queuePrefix, connectivityUrl: connectivity.url, publicUrl: billing.url });
  return paymentSystem('baseline (bare)', billing, connectivity, billingDatabase, worker);
}

function paymentSystem(label: string, billing: RunningApp, connectivity: RunningApp, billingDatabase: string, worker: RunningApp): PaymentSystem {
  return {
    label,
    billingUrl: billing.url,
    billingDatabase,
    processes: [billing.process, worker.process, connectivity.process],
    stop: async () => {
      await billing.process.stop();
      await worker.process.stop();
      await connectivity.process.stop();
    },
  };
}
