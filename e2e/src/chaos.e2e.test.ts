import assert from 'node:assert/strict';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { AUTHENTICATION_HEADER, verifyAuthentication } from '@onebip/messaging';
import { FaultSchedule, testDatabaseUrl, waitFor } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

/**
 * The chaos suite: M payments while faults are injected between billing's worker and
 * connectivity, connectivity restarts, the worker is SIGKILLed and Redis loses every key of the system; then
 * nothing may be lost or doubled. M from CHAOS_PAYMENTS (1,000 by default), the fault schedule
 * from CHAOS_SEED (random by default, always printed: the same seed replays the same faults).
 */
const payments = Number(process.env.CHAOS_PAYMENTS ?? 1000);
const seed = FaultSchedule.seedFromEnvironment();
const CLIENTS = 20;
/**
 * The time limits follow from what the suite does, sized for a loaded 2-core machine rather than
 * a quiet run: posting gets 300 ms a payment (a quiet run needs about a tenth of it), the drain
 * CHAOS_DRAIN_TIMEOUT_MS, and the whole test both plus a minute.
 */
const postingBudgetMs = Math.max(120_000, payments * 300);
const drainTimeoutMs = Number(process.env.CHAOS_DRAIN_TIMEOUT_MS ?? 240_000);
const testTimeoutMs = postingBudgetMs + drainTimeoutMs + 60_000;

type Disruption = 'restart connectivity' | 'kill the worker' | 'lose redis data';

const schedule = new FaultSchedule(seed, { reset: 0.03, 'drop-response': 0.03, delay: 0.03, unavailable: 0.03 });
/** When each disruption strikes, as a share of the payments posted; jittered by the seed. */
const disruptions: { at: number; what: Disruption }[] = (
  [
    [0.15, 'restart connectivity'],
    [0.3, 'kill the worker'],
    [0.45, 'lose redis data'],
    [0.6, 'restart connectivity'],
    [0.75, 'kill the worker'],
    [0.9, 'restart connectivity'],
  ] as const
).map(([at, what]) => ({ at: at + (schedule.random() - 0.5) * 0.1, what }));

let system: RunningSystem;
const log = (line: string) => console.log(`[chaos] ${line}`);

/**
 * A service subscribed to billing's events, as a real one would be: it checks each delivery's
 * signature with its own secret, stores each event once by its id (202), answers a repeat 409, and
 * fails on the seed's schedule now and then (503, or the connection reset before it answers).
 */
class Subscriber {
  readonly stored = new Map<string, string>();
  repeats = 0;
  failures = 0;
  forged = 0;
  private server?: Server;

  constructor(
    readonly name: string,
    readonly secret: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/events`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = request.headers[AUTHENTICATION_HEADER.toLowerCase()] as string | undefined;
        if (!verifyAuthentication(header, { method: request.method ?? 'POST', path: request.url ?? '/', body }, [this.secret]).ok) {
          this.forged += 1;
          response.writeHead(401).end();
          return;
        }
        const roll = schedule.random();
        if (roll < 0.03) {
          this.failures += 1;
          request.socket.destroy();
          return;
        }
        if (roll < 0.06) {
          this.failures += 1;
          response.writeHead(503).end();
          return;
        }
        const event = JSON.parse(body) as { id: string; subject: string };
        if (this.stored.has(event.id)) {
          this.repeats += 1;
          response.writeHead(409).end();
          return;
        }
        this.stored.set(event.id, event.subject);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const subscribers = [
  new Subscriber('ledger', 'chaos-ledger-subscriber-secret-0123456789'),
  new Subscriber('analytics', 'chaos-analytics-subscriber-secret-012345'),
];

before(async () => {
  for (const subscriber of subscribers) await subscriber.start();
  system = await RunningSystem.start({
    separateWorker: true,
    faults: () => schedule.draw(),
    faultDelayMs: 200,
    billingEnv: {
      DELIVERY_TIMEOUT_MS: '1000',
      DELIVERY_CONCURRENCY: '32',
      DELIVERY_BACKOFF_FIRST_WAIT_S: '0.05',
      DELIVERY_BACKOFF_UP_TO_S: '120',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_PENDING_AFTER_MS: '5000',
      EVENT_SUBSCRIBER_HOSTS: subscribers.map((subscriber) => new URL(subscriber.url).host).join(','),
      EVENT_SUBSCRIPTIONS: JSON.stringify(subscribers.map(({ name, url, secret }) => ({ subscriber: name, url, types: null, secret }))),
    },
  });
});
after(async () => {
  await system.stop();
  for (const subscriber of subscribers) await subscriber.stop();
});

async function query<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function disrupt(what: Disruption): Promise<void> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(schedule.random() * 1000)));
  if (what === 'restart connectivity') {
    await system.connectivity.stop();
    await pause();
    await system.connectivity.start();
  } else if (what === 'kill the worker') {
    await system.worker!.kill();
    await pause();
    await system.worker!.start();
  } else {
    log(`${await system.loseRedisData()} Redis keys lost`);
  }
}

describe(`chaos: ${payments} payments, seed ${seed}`, () => {
  it('loses nothing and doubles nothing, whatever fails on the way', { timeout: testTimeoutMs }, async () => {
    log(`seed ${seed} (CHAOS_SEED=${seed} replays this fault schedule), ${payments} payments`);
    const started = Date.now();
    let accepted = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (accepted < payments) {
        accepted += 1;
        const response = await system.pay({ phoneNumber: '393331234567', amount: accepted, currency: 'EUR' });
        if (response.status !== 201) {
          accepted -= 1;
          throw new Error(`POST /payments answered ${response.status}`);
        }
      }
    });
    const monkey = (async () => {
      for (const { at, what } of disruptions) {
        await waitFor(`${Math.round(at * 100)}% of the payments`, () => accepted >= at * payments, { timeoutMs: postingBudgetMs, intervalMs: 20 });
        log(`${what} (after ${accepted} payments)`);
        await disrupt(what);
      }
    })();
    await Promise.all(clients);
    const postedIn = Date.now() - started;
    log(`${payments} payments accepted in ${postedIn} ms`);
    await monkey;

    const drainStarted = Date.now();
    const billing = system.billingDatabaseUrl;
    await waitFor(
      'every message to be acknowledged',
      async () => {
        const [{ sent }] = await query<{ sent: number }>(billing, `SELECT count(*)::int AS sent FROM messages WHERE status IN ('sent', 'delivered')`);
        return sent === payments;
      },
      { timeoutMs: drainTimeoutMs, intervalMs: 500 },
    );
    await waitFor('every event to be stored at each subscriber', () => subscribers.every((subscriber) => subscriber.stored.size >= payments), {
      timeoutMs: drainTimeoutMs,
      intervalMs: 500,
    });
    const drainedIn = Date.now() - drainStarted;
    const [events] = await query<{ events: number }>(billing, `SELECT count(*)::int AS events FROM events`);

    const [counts] = await query<{ payments: number; messages: number; sent: number; orphans: number; attempts: number }>(
      billing,
      `SELECT (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM messages) AS messages,
              (SELECT count(*)::int FROM messages WHERE status IN ('sent', 'delivered')) AS sent,
              (SELECT count(*)::int FROM payments p LEFT JOIN messages m ON m.payment_id = p.id WHERE m.id IS NULL) AS orphans,
              (SELECT coalesce(sum(attempts), 0)::int FROM messages) AS attempts`,
    );
    const [received] = await query<{ rows: number; urls: number }>(
      testDatabaseUrl('connectivity'),
      `SELECT count(*)::int AS rows, count(DISTINCT message_url)::int AS urls FROM messages WHERE message_url LIKE $1`,
      [`${system.billingUrl}/messages/%`],
    );
    const proxy = system.faultProxy!;
    log(`faults injected: ${JSON.stringify({ ...proxy.injected, none: undefined })}`);
    log(`connectivity answered: ${JSON.stringify(Object.fromEntries(proxy.upstreamStatuses))} (409: a retry of a message it already had)`);
    log(
      `recorded attempts ${counts.attempts} for ${payments} messages: ${counts.attempts - payments} retries (attempts cut short by SIGKILL or lost Redis data are not recorded)`,
    );
    for (const subscriber of subscribers) {
      log(
        `subscriber ${subscriber.name}: ${subscriber.stored.size} events stored, ${subscriber.repeats} repeats answered 409, ${subscriber.failures} failures it played`,
      );
    }
    log(`drained ${drainedIn} ms after the last disruption; ${Date.now() - started} ms in all`);

    assert.equal(counts.payments, payments, 'every payment was stored');
    assert.equal(counts.orphans, 0, 'every payment has its message');
    assert.equal(counts.sent, payments, 'every message is sent (or already reported delivered)');
    assert.equal(received.urls, payments, 'connectivity holds every message');
    assert.equal(received.rows, payments, 'connectivity holds each message once');
    assert.ok(Object.values({ ...proxy.injected, none: 0 }).reduce((sum, count) => sum + count, 0) > 0, 'faults were injected');
    assert.equal(events.events, payments, 'one event per payment');
    const subjects = new Set((await query<{ id: string }>(billing, `SELECT id FROM payments`)).map(({ id }) => `${system.billingUrl}/payments/${id}`));
    for (const subscriber of subscribers) {
      assert.equal(subscriber.forged, 0, `every delivery to ${subscriber.name} was signed with its secret`);
      assert.equal(subscriber.stored.size, payments, `${subscriber.name} stored every event once`);
      assert.deepEqual(new Set(subscriber.stored.values()), subjects, `${subscriber.name}: none missing, one per payment`);
    }
    await waitFor('billing to record every delivery', async () => {
      const [{ delivered }] = await query<{ delivered: number }>(billing, `SELECT count(*)::int AS delivered FROM event_deliveries WHERE status = 'delivered'`);
      return delivered === payments * subscribers.length;
    });
  });
});
