import { setTimeout as sleep } from 'node:timers/promises';
import { BenchDatabases } from '../harness/bench-databases';
import { BenchRun } from '../harness/bench-run';
import { ClosedLoopOutcome, runClosedLoop } from '../harness/closed-loop';
import { HttpLoadTarget, paymentBody } from '../harness/http-load';
import { OpenLoopOutcome, runOpenLoop } from '../harness/open-loop';
import { startRealSystem } from '../harness/payment-systems';
import { BenchSettings } from '../harness/settings';
import { StandInReceiver } from '../harness/stand-in-receiver';
import { LatencySummary, perSecond, summarize } from '../harness/stats';

/** How many services subscribe to billing's events, and how many of them answer only after the delivery timeout. */
export interface FanOut {
  subscribers: number;
  slow: number;
}

/** The fan-outs measured: what subscribers cost the publisher, and what a slow one costs the others. */
export const FAN_OUTS: readonly FanOut[] = [
  { subscribers: 0, slow: 0 },
  { subscribers: 1, slow: 0 },
  { subscribers: 3, slow: 0 },
  { subscribers: 3, slow: 1 },
];

/** What one fan-out came to. */
export interface FanOutMeasurement extends FanOut {
  /** POST /payments answered 201 by `clients` concurrent clients. */
  posts: ClosedLoopOutcome & { clients: number };
  /** Payments per second from the first POST until every message of the batch is sent to connectivity. */
  messagesPerSecond: number;
  /** From a payment to its message acknowledged by connectivity (created_at to sent_at). */
  messageLatency: LatencySummary;
  /** From a payment to its event acknowledged by a subscriber that answers in time (the event's time to delivered_at). */
  eventLatency: LatencySummary;
  /** Deliveries to the subscribers that answer in time: made, and expected. */
  delivered: number;
  expected: number;
  /**
   * POST /payments at a fixed rate below every fan-out's capacity, once the batch is delivered, and
   * the latencies of those payments' messages and events: delivery latency when nothing queues
   * behind a backlog, which is where a slow subscriber's cost to the others shows.
   */
  latencyAtRate: OpenLoopOutcome & { messageLatency: LatencySummary; eventLatency: LatencySummary };
}

/**
 * Billing's default delivery timeout (DELIVERY_TIMEOUT_MS): the slow subscriber answers a second
 * after it, so each of its attempts holds a worker slot 10 s and fails. A shorter timeout for the
 * runs would also cut short billing's deliveries to connectivity on a saturated machine, and the
 * retries would measure the timeout rather than the fan-out.
 */
const DELIVERY_TIMEOUT_MS = 10_000;
const SECRET = 'bench-subscriber-secret-0123456789abcdef';

/**
 * For each fan-out: the real system with that many subscribers declared at boot (stand-in
 * receivers, in this process), `eventsN` payments by concurrent clients, then the time until every
 * message is sent and every event delivered to each subscriber that answers in time; latencies from
 * billing's database.
 */
export async function measureFanOut(run: BenchRun, settings: BenchSettings, databases: BenchDatabases, fanOut: FanOut): Promise<FanOutMeasurement> {
  const receivers = await Promise.all(Array.from({ length: fanOut.subscribers }, () => StandInReceiver.start()));
  for (const receiver of receivers.slice(0, fanOut.slow)) await receiver.answerAfter(DELIVERY_TIMEOUT_MS + 1000);
  const names = receivers.map((_, index) => `subscriber-${index}${index < fanOut.slow ? '-slow' : ''}`);
  const onTime = names.slice(fanOut.slow);
  const system = await startRealSystem(run, {
    EVENT_SUBSCRIBER_HOSTS: receivers.map((receiver) => new URL(receiver.url).host).join(','),
    EVENT_SUBSCRIPTIONS: JSON.stringify(
      receivers.map((receiver, index) => ({ subscriber: names[index], url: `${receiver.url}/events`, types: null, secret: SECRET })),
    ),
    EVENT_DELIVERY_CONCURRENCY: String(settings.deliveryConcurrency),
  });
  const target = new HttpLoadTarget(system.billingUrl, Math.max(settings.clients, 256));
  const post = (index: number) => target.postJson('/payments', paymentBody(index));
  const progress = async (since: Date) => {
    const [row] = await databases.query<{ sent: number; delivered: number; lastSentAt: number }>(
      system.billingDatabase,
      `SELECT (SELECT count(*) FROM messages WHERE created_at >= $1 AND status IN ('sent', 'delivered', 'undeliverable'))::int AS sent,
              (SELECT count(*) FROM event_deliveries d JOIN events e ON e.id = d.event_id
                WHERE e.time >= $1 AND d.status = 'delivered' AND d.subscriber = ANY ($2))::int AS delivered,
              (SELECT coalesce(extract(epoch FROM max(sent_at)) * 1000, 0)::float8 FROM messages WHERE created_at >= $1) AS "lastSentAt"`,
      [since, onTime],
    );
    return row;
  };
  const untilDone = async (since: Date, payments: number): Promise<{ sent: number; delivered: number; lastSentAt: number }> => {
    const deadline = Date.now() + 120_000 + payments * 20;
    for (;;) {
      const now = await progress(since);
      if (now.sent >= payments && now.delivered >= payments * onTime.length) return now;
      if (Date.now() > deadline)
        throw new Error(
          `${fanOut.subscribers} subscribers: ${now.sent}/${payments} messages sent, ${now.delivered}/${payments * onTime.length} events delivered in time`,
        );
      await sleep(100);
    }
  };
  const messageLatencies = (since: Date) =>
    latencies(
      databases,
      system.billingDatabase,
      `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS ms FROM messages WHERE created_at >= $1 AND sent_at IS NOT NULL`,
      [since],
    );
  const eventLatencies = (since: Date) =>
    latencies(
      databases,
      system.billingDatabase,
      `SELECT extract(epoch FROM (d.delivered_at - e.time)) * 1000 AS ms FROM event_deliveries d JOIN events e ON e.id = d.event_id
       WHERE e.time >= $1 AND d.status = 'delivered' AND d.subscriber = ANY ($2)`,
      [since, onTime],
    );
  try {
    if (settings.warmup > 0) {
      const warmupStart = new Date();
      await runClosedLoop(settings.warmup, settings.clients, async (index) => (await post(index)) === 201);
      await untilDone(warmupStart, settings.warmup);
    }
    const startedAt = new Date();
    const posts = await runClosedLoop(settings.eventsN, settings.clients, async (index) => (await post(index)) === 201);
    const done = await untilDone(startedAt, settings.eventsN);
    const messageLatency = await messageLatencies(startedAt);
    const eventLatency = await eventLatencies(startedAt);
    const pacedStart = new Date();
    const paced = await runOpenLoop({ ...settings.eventsLatency, warmupSeconds: 1 }, post, (status) => status === 201);
    const [{ count }] = await databases.query<{ count: number }>(system.billingDatabase, `SELECT count(*)::int AS count FROM messages WHERE created_at >= $1`, [
      pacedStart,
    ]);
    await untilDone(pacedStart, count);
    const latencyAtRate = { ...paced, messageLatency: await messageLatencies(pacedStart), eventLatency: await eventLatencies(pacedStart) };
    return {
      ...fanOut,
      latencyAtRate,
      posts: { ...posts, clients: settings.clients },
      messagesPerSecond: perSecond(settings.eventsN, done.lastSentAt - startedAt.getTime()),
      messageLatency,
      eventLatency,
      delivered: done.delivered,
      expected: settings.eventsN * onTime.length,
    };
  } finally {
    await target.close();
    await system.stop();
    await Promise.all(receivers.map((receiver) => receiver.goDown()));
  }
}

async function latencies(databases: BenchDatabases, database: string, sql: string, parameters: unknown[]): Promise<LatencySummary> {
  const rows = await databases.query<{ ms: number }>(database, sql, parameters);
  return summarize(rows.map((row) => Number(row.ms)));
}
