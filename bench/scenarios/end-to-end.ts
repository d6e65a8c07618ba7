import { setTimeout as sleep } from 'node:timers/promises';
import { BenchDatabases } from '../harness/bench-databases';
import { ClosedLoopOutcome, runClosedLoop } from '../harness/closed-loop';
import { HttpLoadTarget, paymentBody } from '../harness/http-load';
import { OpenLoopOutcome, runOpenLoop } from '../harness/open-loop';
import { PaymentSystem } from '../harness/payment-systems';
import { BenchSettings } from '../harness/settings';
import { perSecond } from '../harness/stats';
import { ProcessUsage, UsageWindow, waitUntilQuiet } from './process-usage';

/** What one system came to, end to end. */
export interface EndToEndMeasurement {
  system: string;
  /** POST /payments answered 201 by `clients` concurrent clients. */
  posts: ClosedLoopOutcome & { clients: number };
  /** Payments per second from the first POST until every message of the batch is `sent`. */
  messagesPerSecond: number;
  /** Messages that ended `failed` instead (none expected). */
  failedMessages: number;
  /** Peak memory, and CPU per payment until its message is sent and reported. */
  usage: ProcessUsage[];
  /** POST /payments at a fixed rate, once the batch's delivery reports have settled. */
  latencyAtRate: OpenLoopOutcome;
}

interface MessageProgress {
  sent: number;
  failed: number;
  reported: number;
  lastSentAt: number;
}

/**
 * End to end: payments POSTed by concurrent clients until `n` are accepted, then the time until
 * billing's database shows every message acknowledged by connectivity (`sent`, or already
 * `delivered` by its report); then POST /payments latency at a fixed rate on the same processes.
 */
export async function measureEndToEnd(system: PaymentSystem, settings: BenchSettings, databases: BenchDatabases): Promise<EndToEndMeasurement> {
  const { n, warmup, clients } = settings;
  const target = new HttpLoadTarget(system.billingUrl, Math.max(clients, 256));
  const post = (index: number) => target.postJson('/payments', paymentBody(index));
  const progress = () => messageProgress(databases, system.billingDatabase);
  const untilSent = async (expected: number) => {
    const deadline = Date.now() + 60_000 + expected * 20;
    for (;;) {
      const now = await progress();
      if (now.sent + now.failed >= expected) return now;
      if (Date.now() > deadline) throw new Error(`${system.label}: ${now.sent} of ${expected} messages sent in time`);
      await sleep(100);
    }
  };
  try {
    if (warmup > 0) {
      await runClosedLoop(warmup, clients, async (index) => (await post(index)) === 201);
      await untilSent(warmup);
      await waitUntilQuiet(system.processes);
    }
    const window = UsageWindow.open(system.processes);
    const startedAt = Date.now();
    const posts = await runClosedLoop(n, clients, async (index) => (await post(index)) === 201);
    const done = await untilSent(warmup + n);
    // Delivery reports trail the batch; latency is measured once they are in, on a quiet system.
    const reportsDeadline = Date.now() + 60_000;
    while ((await progress()).reported < warmup + n && Date.now() < reportsDeadline) await sleep(200);
    const usage = await window.close(n);
    const latencyAtRate = await runOpenLoop({ ...settings.latency, warmupSeconds: 2 }, post, (status) => status === 201);
    return {
      system: system.label,
      posts: { ...posts, clients },
      messagesPerSecond: perSecond(n, done.lastSentAt - startedAt),
      failedMessages: done.failed,
      usage,
      latencyAtRate,
    };
  } finally {
    await target.close();
  }
}

async function messageProgress(databases: BenchDatabases, database: string): Promise<MessageProgress> {
  const [row] = await databases.query<MessageProgress>(
    database,
    `SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered', 'undeliverable'))::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status IN ('delivered', 'undeliverable'))::int AS reported,
            coalesce(extract(epoch FROM max(sent_at)) * 1000, 0)::float8 AS "lastSentAt"
     FROM messages`,
  );
  return row;
}
