import { Worker } from 'bullmq';
import { BARE_DELIVERY_QUEUE } from './bare-delivery';
import { startBareBilling } from './billing-server';
import { startBareConnectivity } from './connectivity-server';
import { startDeliveryWorker } from './delivery-worker';
import { closeOnSignal } from './http-kit';
import { RoleSettings, readRoleSettings } from './role-settings';
import { SignedPoster } from './signed-post';

/** The bare implementations a bench process can run, chosen by BENCH_ROLE. */
export const ROLES = {
  /** The bare pipeline's receiver: authenticate, validate, INSERT … ON CONFLICT DO NOTHING, answer. */
  'bare-receiver': (settings: RoleSettings) => startBareConnectivity('bare-receiver', settings, { followUps: false }),
  /** The bare pipeline's worker: a BullMQ Worker that signs and POSTs. */
  'bare-worker': startBareWorker,
  /** Billing's interface, messaging: API and delivery worker in one process. */
  'baseline-billing': (settings: RoleSettings) => startBareBilling('baseline-billing', settings, 'queue'),
  /** Billing's API alone (APP_ROLE=api): it queues the jobs, and a baseline-billing process delivers them. */
  'baseline-billing-api': (settings: RoleSettings) => startBareBilling('baseline-billing-api', settings, 'queue', { deliver: false }),
  /** Connectivity's interface, with its SMS and delivery reports. */
  'baseline-connectivity': (settings: RoleSettings) => startBareConnectivity('baseline-connectivity', settings, { followUps: true }),
  /** Connectivity's interface queuing its SMS jobs without sending them, as connectivity with APP_ROLE=api. */
  'baseline-connectivity-api': (settings: RoleSettings) =>
    startBareConnectivity('baseline-connectivity-api', settings, { followUps: true, sendFollowUps: false }),
  /** Billing calling connectivity before it answers: the RPC the talk argues against. */
  'rpc-billing': (settings: RoleSettings) => startBareBilling('rpc-billing', settings, 'rpc'),
} satisfies Record<string, (settings: RoleSettings) => Promise<void>>;

export type BenchRole = keyof typeof ROLES;

/** Runs the bare implementation `role` until SIGTERM. */
export async function runRole(role: string): Promise<void> {
  if (!(role in ROLES)) throw new Error(`BENCH_ROLE must be one of ${Object.keys(ROLES).join(', ')}, got ${JSON.stringify(role)}`);
  await ROLES[role as BenchRole](readRoleSettings());
}

async function startBareWorker(settings: RoleSettings): Promise<void> {
  const poster = new SignedPoster(settings.secrets);
  const worker: Worker = startDeliveryWorker({
    queueName: BARE_DELIVERY_QUEUE,
    redisUrl: settings.redisUrl,
    prefix: settings.queuePrefix,
    concurrency: settings.deliveryConcurrency,
    poster,
  });
  await worker.waitUntilReady();
  console.log(`bare-worker listening on queue ${settings.queuePrefix}:${BARE_DELIVERY_QUEUE}`);
  closeOnSignal(
    () => worker.close(),
    async () => poster.close(),
  );
}
