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

/** The real system from dist/: connectivity, and billing serving its API and delivering (APP_ROLE=all), as `npm start` runs them. */
export async function startRealSystem(run: BenchRun): Promise<PaymentSystem> {
  const [billingDatabase, connectivityDatabase] = ['billing_bench', 'connectivity_bench'];
  await run.databases.drop(billingDatabase);
  await run.databases.drop(connectivityDatabase);
  const connectivity = await run.startConnectivity('connectivity', connectivityDatabase, await run.queuePrefix('connectivity'));
  const billing = await run.startBilling('billing', { role: 'all', database: billingDatabase, queuePrefix: await run.queuePrefix('billing'), connectivityUrl: connectivity.url });
  return paymentSystem('billing + connectivity', billing, connectivity, billingDatabase);
}

/** The same interface written bare in bench/baseline: node:http, pg and BullMQ, no framework. */
export async function startBaselineSystem(run: BenchRun): Promise<PaymentSystem> {
  const [billingDatabase, connectivityDatabase] = ['baseline_billing_bench', 'baseline_connectivity_bench'];
  await run.databases.recreate(billingDatabase);
  await run.databases.recreate(connectivityDatabase);
  const connectivity = await run.startRole('baseline-connectivity', { database: connectivityDatabase, queuePrefix: await run.queuePrefix('baseline-connectivity') });
  const billing = await run.startRole('baseline-billing', { database: billingDatabase, queuePrefix: await run.queuePrefix('baseline-billing'), connectivityUrl: connectivity.url });
  return paymentSystem('baseline (bare)', billing, connectivity, billingDatabase);
}

function paymentSystem(label: string, billing: RunningApp, connectivity: RunningApp, billingDatabase: string): PaymentSystem {
  return {
    label,
    billingUrl: billing.url,
    billingDatabase,
    processes: [billing.process, connectivity.process],
    stop: async () => {
      await billing.process.stop();
      await connectivity.process.stop();
    },
  };
}
